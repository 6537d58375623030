import { describe, expect, it } from 'vitest';
import { booleanOption, portOption, stringOption } from '../../../src/options/option-kind.js';
import { optionDefaults, optionVariables, readOptions, type OptionTable } from '../../../src/options/read-options.js';

interface Example {
  readonly host?: string;
  readonly port?: number;
  readonly tls?: boolean;
}

const TABLE = {
  host: { kind: stringOption, env: 'EXAMPLE_HOST', default: 'localhost' },
  port: { kind: portOption, env: ['EXAMPLE_SYNC_PORT', 'EXAMPLE_PORT'], default: 8015 },
  tls: { kind: booleanOption, env: 'EXAMPLE_TLS' },
} satisfies OptionTable<Example>;

function read(options: Example, environment: Record<string, string>) {
  const warnings: string[] = [];
  const values = readOptions<Example>(TABLE, options, environment, warnings, 'example.');
  return { values, warnings };
}

describe('readOptions', () => {
  it('fills the defaults when nothing is set', () => {
    expect(read({}, {})).toEqual({ values: { host: 'localhost', port: 8015 }, warnings: [] });
  });

  it('reads an empty variable as unset, without a warning', () => {
    expect(read({}, { EXAMPLE_HOST: '', EXAMPLE_SYNC_PORT: '', EXAMPLE_PORT: '9000', EXAMPLE_TLS: '' })).toEqual({
      values: { host: 'localhost', port: 9000 },
      warnings: [],
    });
  });

  it('lets an option win over its variable, and a variable over the default', () => {
    expect(read({ port: 7000 }, { EXAMPLE_HOST: 'flags.internal', EXAMPLE_PORT: '9000' })).toEqual({
      values: { host: 'flags.internal', port: 7000 },
      warnings: [],
    });
  });

  it('takes the first of several variables that reads well, warning about each that does not', () => {
    expect(read({}, { EXAMPLE_SYNC_PORT: 'x', EXAMPLE_PORT: '9000' })).toEqual({
      values: { host: 'localhost', port: 9000 },
      warnings: ['Ignoring EXAMPLE_SYNC_PORT="x": expected a port number (1-65535)'],
    });
  });

  it('falls back from a bad option to the variable, then to the default, in one phrasing', () => {
    expect(read({ port: 0, tls: 'yes' as never }, { EXAMPLE_PORT: '70000', EXAMPLE_TLS: 'maybe' })).toEqual({
      values: { host: 'localhost', port: 8015 },
      warnings: [
        'Ignoring example.port=0: expected a port number (1-65535)',
        'Ignoring EXAMPLE_PORT="70000": expected a port number (1-65535)',
        'Ignoring example.tls="yes": expected true or false',
        'Ignoring EXAMPLE_TLS="maybe": expected a boolean (true/false, 1/0, on/off or yes/no)',
      ],
    });
  });

  it('cuts a long variable short in its warning', () => {
    const long = 'x'.repeat(100);
    expect(read({}, { EXAMPLE_TLS: long }).warnings).toEqual([
      `Ignoring EXAMPLE_TLS="${'x'.repeat(40)}"… (100 characters): expected a boolean (true/false, 1/0, on/off or yes/no)`,
    ]);
  });
});

describe('optionDefaults and optionVariables', () => {
  it('list what the table declares, each variable list as docs write it', () => {
    expect(optionDefaults(TABLE)).toEqual({ host: 'localhost', port: 8015 });
    expect(optionVariables(TABLE)).toEqual({
      host: 'EXAMPLE_HOST',
      port: 'EXAMPLE_SYNC_PORT, EXAMPLE_PORT',
      tls: 'EXAMPLE_TLS',
    });
  });
});
