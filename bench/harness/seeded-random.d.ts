/** A deterministic generator of numbers in [0, 1) from a 32-bit seed (mulberry32). */
export declare function seededRandom(seed: number): () => number;
