import { pairedRatio } from '../harness/measure.js';

const ns = (result) => (result === undefined ? 'n/a' : result.nsPerOp >= 1000 ? `${(result.nsPerOp / 1000).toFixed(2)} µs` : `${result.nsPerOp.toFixed(1)} ns`);
const ms = (value) => `${value.toFixed(1)} ms`;
const times = (value) => `${value.toFixed(2)}x`;
const spread = (...results) => `±${Math.round(50 * Math.max(...results.map((result) => result.spread)))}%`;

function table(header, rows) {
  return [`| ${header.join(' | ')} |`, `|${header.map(() => ' --- ').join('|')}|`, ...rows.map((row) => `| ${row.join(' | ')} |`)].join('\n');
}

/** Whether `value` meets a target where higher is better, as the table's last column. */
function verdict(value, target, higherIsBetter = true) {
  if (target === undefined) return '—';
  const met = higherIsBetter ? value >= target : value <= target;
  return `${met ? 'met' : 'MISSED'} (${higherIsBetter ? '≥' : '≤'} ${target}${higherIsBetter ? 'x' : ''})`;
}

/** Evaluator rows: speed-up = flagd-core ns/op ÷ ours, the median of the per-round ratios. */
export function evaluatorTable(rows) {
  return table(
    ['scenario', 'flagd-core', 'ours: FlagStore', 'speed-up', 'ours: provider.resolve*', 'speed-up', 'round spread', 'same answers', 'target'],
    rows.map((row) => {
      const speedUp = pairedRatio(row.flagdCore, row.store);
      return [
        row.label, ns(row.flagdCore), ns(row.store), times(speedUp), ns(row.provider), times(pairedRatio(row.flagdCore, row.provider)),
        spread(row.flagdCore, row.store, row.provider), `${row.agreement}/1024`, verdict(speedUp, row.target),
      ];
    }),
  );
}

/** SDK rows: ratio = provider ns/op ÷ the InMemoryProvider floor's, the median of per-round ratios. */
export function sdkTable(rows) {
  return table(
    ['`client.getBooleanValue`', 'InMemoryProvider (floor)', 'ours (file)', 'ours ÷ floor', 'flagd provider (file, in-process)', 'flagd ÷ floor', 'round spread', '`true` answers', 'target'],
    rows.map((row) => {
      const ours = pairedRatio(row.genesis, row.inMemory);
      return [
        row.label, ns(row.inMemory), ns(row.genesis), times(ours), ns(row.flagd), times(pairedRatio(row.flagd, row.inMemory)),
        spread(row.inMemory, row.genesis, row.flagd), row.enabledCounts.join(' / '), verdict(ours, 1.02, false),
      ];
    }),
  );
}

export function loadTable(load) {
  const row = (label, pair) => [label, ms(pair.flagdCore), ms(pair.store), times(pair.speedUp)];
  return table(
    [`${load.flagCount.toLocaleString('en')} flags (${load.megabytes.toFixed(1)} MB JSON)`, 'flagd-core `setConfigurations`', 'ours: load + `FlagStore.replace`', 'speed-up'],
    [row('first load, fresh instance', load.fresh), row('reload, 1 flag changed', load.oneChanged)],
  );
}

export function reloadTable(reload) {
  const row = (label, result) => (result === undefined ? [label, 'skipped', '', '', '', '—']
    : [label, String(result.reloads), ms(result.p50), ms(result.p99), ms(result.max), label.startsWith('ours') ? verdict(result.p99, 50, false).replace('≤ 50', '≤ 50 ms') : '—']);
  return table(
    ['write → `getBooleanValue` returns the new value', 'reloads', 'p50', 'p99', 'max', 'target'],
    [
      row(`ours, ${reload.smallSetSize + 1}-flag file`, reload.genesisSmall),
      row(`ours, ${reload.setSize + 1}-flag file`, reload.genesis),
      row(`flagd provider (file mode), ${reload.setSize + 1}-flag file`, reload.flagd),
    ],
  );
}
