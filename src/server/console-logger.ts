import type { Logger } from '@openfeature/core';

type Level = 'debug' | 'info' | 'warn' | 'error';

export interface ConsoleLoggerOptions {
  /** Messages below this level are dropped. @default 'info' */
  readonly level?: Level;
  readonly write?: (line: string) => void;
  readonly now?: () => Date;
}

const ORDER: Readonly<Record<Level, number>> = { debug: 0, info: 1, warn: 2, error: 3 };

/** A logger for the server process: one line per message on stderr, `<ISO time> <LEVEL> <message>`. */
export function createConsoleLogger(options: ConsoleLoggerOptions = {}): Logger {
  const threshold = ORDER[options.level ?? 'info'];
  const write = options.write ?? ((line: string) => process.stderr.write(`${line}\n`));
  const now = options.now ?? (() => new Date());
  const at =
    (level: Level) =>
    (...args: unknown[]): void => {
      if (ORDER[level] < threshold) return;
      const text = args
        .map((arg) => (arg instanceof Error ? arg.message : typeof arg === 'string' ? arg : JSON.stringify(arg)))
        .join(' ');
      write(`${now().toISOString()} ${level.toUpperCase()} ${text}`);
    };
  return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}
