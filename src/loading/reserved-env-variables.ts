/**
 * Variables that shells, login, containers, CI systems and Node set in nearly every process. Without an
 * override prefix, a flag named `path`, `home` or `ci` would be overridden by them (`CI=true` on every
 * build machine), so they never override a flag unless `envPrefix` is set (`APP_` reads `APP_PATH`).
 */
export const RESERVED_ENV_VARIABLES: ReadonlySet<string> = new Set([
  '_',
  'CI',
  'COLUMNS',
  'DISPLAY',
  'EDITOR',
  'HOME',
  'HOST',
  'HOSTNAME',
  'LANG',
  'LANGUAGE',
  'LC_ALL',
  'LINES',
  'LOGNAME',
  'MAIL',
  'NODE_ENV',
  'NODE_OPTIONS',
  'NODE_PATH',
  'OLDPWD',
  'PATH',
  'PWD',
  'SHELL',
  'SHLVL',
  'TEMP',
  'TERM',
  'TMP',
  'TMPDIR',
  'TZ',
  'USER',
]);

/** Whether `variable` (already prefixed) is one a flag may not be overridden by: only without a prefix. */
export function isReservedOverrideVariable(variable: string, prefix: string): boolean {
  return prefix === '' && RESERVED_ENV_VARIABLES.has(variable);
}

/** Why a flag is not overridden by its variable. */
export function reservedOverrideMessage(flagKey: string, variable: string): string {
  return (
    `flag ${flagKey} is never overridden by ${variable}, a variable nearly every process has; ` +
    `set envPrefix (GENESIS_FLAGS_ENV_PREFIX) to override it, e.g. APP_ reads APP_${variable}`
  );
}
