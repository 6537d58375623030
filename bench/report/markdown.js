import { pairedRatio } from '../harness/measure.js';

const ns = (result) =>
  result === undefined
    ? 'n/a'
    : result.nsPerOp >= 1000
      ? `${(result.nsPerOp / 1000).toFixed(2)} µs`
      : `${result.nsPerOp.toFixed(1)} ns`;
const ms = (value) => `${value.toFixed(1)} ms`;
const times = (value) => `${value.toFixed(2)}x`;
const iqr = (...results) => `${Math.round(100 * Math.max(...results.map((result) => result.iqr)))}%`;

function table(header, rows) {
  return [
    `| ${header.join(' | ')} |`,
    `|${header.map(() => ' --- ').join('|')}|`,
    ...rows.map((row) => `| ${row.join(' | ')} |`),
  ].join('\n');
}

/** The target column: met or MISSED, and the target, e.g. `met (≥ 3x)` or `MISSED (≤ 50 ms)`. */
function verdict(value, target, { atMost = false, unit = 'x' } = {}) {
  if (target === undefined) return '—';
  const met = atMost ? value <= target : value >= target;
  return `${met ? 'met' : 'MISSED'} (${atMost ? '≤' : '≥'} ${target}${unit === 'x' ? 'x' : ` ${unit}`})`;
}

/** Evaluator rows: speed-up = flagd-core ns/op ÷ ours, the median of the per-round ratios. */
export function evaluatorTable(rows) {
  return table(
    [
      'scenario',
      'flagd-core',
      'ours: FlagStore',
      'speed-up',
      'ours: provider.resolve*',
      'speed-up',
      'IQR of rounds',
      'same answers',
      'target',
    ],
    rows.map((row) => {
      const speedUp = pairedRatio(row.flagdCore, row.store);
      return [
        row.label,
        ns(row.flagdCore),
        ns(row.store),
        times(speedUp),
        ns(row.provider),
        times(pairedRatio(row.flagdCore, row.provider)),
        iqr(row.flagdCore, row.store, row.provider),
        `${row.agreement}/1024`,
        verdict(speedUp, row.target),
      ];
    }),
  );
}

/** SDK rows: ratio = provider ns/op ÷ the InMemoryProvider floor's, the median of per-round ratios. */
export function sdkTable(rows) {
  return table(
    [
      '`client.getBooleanValue`',
      'InMemoryProvider (floor)',
      'ours (file)',
      'ours ÷ floor',
      'flagd provider (file, in-process)',
      'flagd ÷ floor',
      'IQR of rounds',
      '`true` answers',
      'target',
    ],
    rows.map(({ label, sdk, enabledCounts }) => {
      const ours = pairedRatio(sdk.genesis, sdk.inMemory);
      return [
        label,
        ns(sdk.inMemory),
        ns(sdk.genesis),
        times(ours),
        ns(sdk.flagd),
        times(pairedRatio(sdk.flagd, sdk.inMemory)),
        iqr(sdk.inMemory, sdk.genesis, sdk.flagd),
        enabledCounts.join(' / '),
        verdict(ours, 1.02, { atMost: true }),
      ];
    }),
  );
}

/**
 * Each provider's `resolveBooleanEvaluation` awaited on its own. The SDK does the same work around
 * every provider, so ours minus the floor here, over the floor's SDK call, is what ours adds to it.
 */
export function providerAloneTable(rows) {
  return table(
    [
      'awaited `resolveBooleanEvaluation`, no SDK',
      'InMemoryProvider',
      'ours',
      'flagd provider',
      '(ours − InMemory) ÷ floor SDK call',
    ],
    rows.map(({ label, sdk, alone }) => {
      const added = (alone.genesis.nsPerOp - alone.inMemory.nsPerOp) / sdk.inMemory.nsPerOp;
      return [
        label,
        ns(alone.inMemory),
        ns(alone.genesis),
        ns(alone.flagd),
        `${added >= 0 ? '+' : ''}${(100 * added).toFixed(1)}%`,
      ];
    }),
  );
}

export function loadTable(load) {
  const row = (label, pair, target) => [
    label,
    ms(pair.flagdCore),
    ms(pair.store),
    times(pair.speedUp),
    pair.recompiled === undefined ? 'all' : String(pair.recompiled),
    verdict(pair.store, target, { atMost: true, unit: 'ms' }),
  ];
  return table(
    [
      `${load.flagCount.toLocaleString('en')} flags (${load.megabytes.toFixed(1)} MB JSON)`,
      'flagd-core `setConfigurations`',
      'ours: `FlagLoader` + `FlagStore.replace`',
      'speed-up',
      'flags compiled again',
      'target',
    ],
    [
      row('first load, fresh instance', load.fresh, 300),
      row('provider: reload, 1 flag changed', load.oneChanged, undefined),
      row('server: payload → selection store, 1 flag changed', load.serverOneChanged, undefined),
    ],
  );
}

export function reloadTable(reload) {
  const row = (label, result, target) =>
    result === undefined
      ? [label, 'skipped', '', '', '', '—']
      : [
          label,
          String(result.reloads),
          ms(result.p50),
          ms(result.p99),
          ms(result.max),
          verdict(result.p99, target, { atMost: true, unit: 'ms' }),
        ];
  return table(
    ['write → `getBooleanValue` returns the new value', 'reloads', 'p50', 'p99', 'max', 'target (p99)'],
    [
      row(`ours, ${reload.smallSetSize + 1}-flag file`, reload.genesisSmall, 50),
      row(`ours, ${reload.setSize + 1}-flag file`, reload.genesis, 50),
      row(`flagd provider (file mode), ${reload.setSize + 1}-flag file`, reload.flagd, undefined),
    ],
  );
}
