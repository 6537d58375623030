import type { Logger } from '@openfeature/core';
import { describe, expect, it, vi } from 'vitest';
import { resolveProviderConfig, type GenesisProviderOptions } from '../../../src/provider/provider-options.js';

function recordingLogger(): Logger & { warnings: string[] } {
  const warnings: string[] = [];
  return {
    warnings,
    error: () => undefined,
    warn: (message: string) => void warnings.push(message),
    info: () => undefined,
    debug: () => undefined,
  };
}

describe('resolveProviderConfig', () => {
  it('fills every field from the defaults when nothing is set', () => {
    const logger = recordingLogger();
    const config = resolveProviderConfig({ logger }, {});
    expect(config).toMatchObject({
      paths: [],
      flags: undefined,
      strict: false,
      envOverrides: true,
      envPrefix: '',
      debounceMs: 10,
      now: Date.now,
    });
    expect(logger.warnings).toEqual([]);
  });

  it('returns a frozen config', () => {
    const config = resolveProviderConfig({ path: ['a.json'], logger: recordingLogger() }, {});
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.paths)).toBe(true);
    expect(Object.isFrozen(config.environment)).toBe(true);
  });

  it('takes values from the environment over the defaults', () => {
    const environment = {
      FLAGD_OFFLINE_FLAG_SOURCE_PATH: 'env.json',
      GENESIS_FLAGS_STRICT: 'true',
      GENESIS_FLAGS_ENV_OVERRIDES: 'FALSE',
      GENESIS_FLAGS_ENV_PREFIX: 'APP_',
      GENESIS_FLAGS_DEBOUNCE_MS: '75',
    };
    const config = resolveProviderConfig({ logger: recordingLogger() }, environment);
    expect(config).toMatchObject({
      paths: ['env.json'],
      strict: true,
      envOverrides: false,
      envPrefix: 'APP_',
      debounceMs: 75,
    });
  });

  it('reads an empty variable as unset, as the flagd providers do: the default, and no warning', () => {
    const logger = recordingLogger();
    const environment = {
      FLAGD_OFFLINE_FLAG_SOURCE_PATH: '',
      FLAGD_HOST: '',
      GENESIS_FLAGS_STRICT: '',
      GENESIS_FLAGS_ENV_OVERRIDES: '',
      GENESIS_FLAGS_DEBOUNCE_MS: '',
    };
    const config = resolveProviderConfig({ logger }, environment);
    expect({ ...config, logger: undefined, environment: undefined }).toMatchObject({
      paths: [],
      sync: undefined,
      strict: false,
      envOverrides: true,
      debounceMs: 10,
    });
    expect(logger.warnings).toEqual([]);
  });

  it.each([
    ['0', false],
    ['off', false],
    ['no', false],
    ['FALSE', false],
    ['1', true],
    ['on', true],
    ['yes', true],
  ])('reads GENESIS_FLAGS_ENV_OVERRIDES=%s as %j, as the old system and a flag override read it', (text, expected) => {
    const logger = recordingLogger();
    const config = resolveProviderConfig({ logger }, { GENESIS_FLAGS_ENV_OVERRIDES: text });
    expect(config.envOverrides).toBe(expected);
    expect(logger.warnings).toEqual([]);
  });

  it('takes options over the environment', () => {
    const environment = {
      FLAGD_OFFLINE_FLAG_SOURCE_PATH: 'env.json',
      GENESIS_FLAGS_DEBOUNCE_MS: '75',
      GENESIS_FLAGS_STRICT: 'true',
    };
    const options: GenesisProviderOptions = {
      path: ['a.json', 'b.yaml'],
      debounceMs: 5,
      strict: false,
      logger: recordingLogger(),
    };
    expect(resolveProviderConfig(options, environment)).toMatchObject({
      paths: ['a.json', 'b.yaml'],
      debounceMs: 5,
      strict: false,
    });
  });

  it('reads the environment from the environment option instead of the process one', () => {
    const config = resolveProviderConfig(
      { environment: { GENESIS_FLAGS_ENV_PREFIX: 'X_' }, logger: recordingLogger() },
      { GENESIS_FLAGS_ENV_PREFIX: 'Y_' },
    );
    expect(config.envPrefix).toBe('X_');
    expect(config.environment).toEqual({ GENESIS_FLAGS_ENV_PREFIX: 'X_' });
  });

  it('copies the environment so later changes are not seen', () => {
    const environment: Record<string, string> = { A: '1' };
    const config = resolveProviderConfig({ logger: recordingLogger() }, environment);
    environment['A'] = '2';
    expect(config.environment['A']).toBe('1');
  });

  it.each([
    ['debounceMs', -1, 'Ignoring debounceMs=-1: expected a number of milliseconds >= 0', 10],
    ['debounceMs', '10', 'Ignoring debounceMs="10": expected a number of milliseconds >= 0', 10],
    ['strict', 'yes', 'Ignoring strict="yes": expected true or false', false],
    ['path', [], 'Ignoring path=[]: expected a file path or a non-empty list of file paths', []],
    ['path', ['ok.json', 3], 'Ignoring path=["ok.json",3]: expected a file path or a non-empty list of file paths', []],
    ['envPrefix', 1, 'Ignoring envPrefix=1: expected a string', ''],
    ['flags', 'text', 'Ignoring flags="text": expected an object', undefined],
    ['now', 5, 'Ignoring now=5: expected a function', expect.any(Function)],
  ])('warns about option %s = %j by name and falls back', (name, value, warning, fallback) => {
    const logger = recordingLogger();
    const config = resolveProviderConfig({ [name]: value, logger } as GenesisProviderOptions, {});
    expect(logger.warnings).toEqual([warning]);
    const field = name === 'path' ? 'paths' : name;
    expect((config as unknown as Record<string, unknown>)[field]).toEqual(fallback);
  });

  it('falls back from a bad option to the environment value', () => {
    const logger = recordingLogger();
    const config = resolveProviderConfig({ debounceMs: Number.NaN, logger }, { GENESIS_FLAGS_DEBOUNCE_MS: '40' });
    expect(config.debounceMs).toBe(40);
    expect(logger.warnings).toHaveLength(1);
  });

  it.each([
    [
      'GENESIS_FLAGS_DEBOUNCE_MS',
      'soon',
      'Ignoring GENESIS_FLAGS_DEBOUNCE_MS="soon": expected a number of milliseconds >= 0',
    ],
    [
      'GENESIS_FLAGS_STRICT',
      'maybe',
      'Ignoring GENESIS_FLAGS_STRICT="maybe": expected a boolean (true/false, 1/0, on/off or yes/no)',
    ],
  ])('warns about variable %s=%s by name and uses the default', (variable, text, warning) => {
    const logger = recordingLogger();
    resolveProviderConfig({ logger }, { [variable]: text });
    expect(logger.warnings).toEqual([warning]);
  });

  it('warns about an unknown option, naming it', () => {
    const logger = recordingLogger();
    resolveProviderConfig({ debounce: 5, logger } as GenesisProviderOptions, {});
    expect(logger.warnings).toHaveLength(1);
    expect(logger.warnings[0]).toMatch(
      /^Ignoring unknown option debounce \(did you mean "debounceMs"\?\) \(known options: path, /,
    );
  });

  it('falls back to the console logger, and warns there, when the logger option is not a logger', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    try {
      const config = resolveProviderConfig({ logger: {} as Logger }, {});
      expect(config.logger).toBe(console);
      expect(warn).toHaveBeenCalledWith(
        'Ignoring logger={}: expected a logger with error, warn, info and debug methods',
      );
    } finally {
      warn.mockRestore();
    }
  });
});

describe('resolveProviderConfig choosing files or a sync server', () => {
  const sync = (environment: Record<string, string>, options: GenesisProviderOptions = {}) => {
    const logger = recordingLogger();
    const config = resolveProviderConfig({ ...options, logger }, environment);
    return { paths: config.paths, host: config.sync?.host, port: config.sync?.port, warnings: logger.warnings };
  };

  it('uses the sync server when the sync option is set, filling it from the environment', () => {
    expect(sync({ FLAGD_HOST: 'flags.internal' }, { sync: {} })).toEqual({
      paths: [],
      host: 'flags.internal',
      port: 8015,
      warnings: [],
    });
  });

  it('prefers the sync option over the path option, warning that the path is ignored', () => {
    const chosen = sync({}, { sync: { port: 9000 }, path: 'flags.json' });
    expect(chosen).toMatchObject({ paths: [], port: 9000 });
    expect(chosen.warnings).toEqual([
      'Ignoring path: the sync option is set, and a provider reads either flag files or a sync server',
    ]);
  });

  it('prefers the path option over sync variables', () => {
    expect(sync({ FLAGD_HOST: 'flags.internal' }, { path: 'flags.json' })).toMatchObject({
      paths: ['flags.json'],
      host: undefined,
    });
  });

  it('prefers FLAGD_OFFLINE_FLAG_SOURCE_PATH over sync variables, as the flagd providers do', () => {
    expect(sync({ FLAGD_OFFLINE_FLAG_SOURCE_PATH: 'flags.json', FLAGD_HOST: 'flags.internal' })).toMatchObject({
      paths: ['flags.json'],
      host: undefined,
    });
  });

  it.each([
    ['FLAGD_HOST', 'flags.internal'],
    ['FLAGD_SYNC_PORT', '9000'],
    ['FLAGD_PORT', '9000'],
    ['FLAGD_SOURCE_SELECTOR', 'a.json'],
  ])('uses the sync server when only %s is set', (variable, value) => {
    const chosen = sync({ [variable]: value });
    expect(chosen.paths).toEqual([]);
    expect(chosen.host).toBe(variable === 'FLAGD_HOST' ? value : 'localhost');
  });

  it('has neither source when nothing names one', () => {
    expect(sync({ FLAGD_HOST: '' })).toMatchObject({ paths: [], host: undefined });
  });

  it('ignores a sync option that is not an object, naming it', () => {
    expect(sync({}, { sync: 'localhost:8015' } as unknown as GenesisProviderOptions)).toEqual({
      paths: [],
      host: undefined,
      port: undefined,
      warnings: ['Ignoring sync="localhost:8015": expected an object'],
    });
  });
});
