// The server's one structured logger (pino, JSON lines). Values under secret-bearing keys are replaced
// before a line is written, wherever they sit in a logged object, so a token passed to a log call by
// mistake never reaches the output.
import { type DestinationStream, type Logger, pino } from 'pino';

export type { Logger };

/** Keys whose values are credentials; matched at the top level and two levels down. */
const SECRET_KEYS = [
  'authorization',
  'cookie',
  'set-cookie',
  'token',
  'accessToken',
  'refreshToken',
  'idToken',
  'proof',
  'privateKey',
  'recorderPrivateKey',
  'password',
  'secret',
];
export const REDACTED_PATHS = SECRET_KEYS.flatMap((k) => {
  const key = /^[A-Za-z_$][\w$]*$/.test(k) ? k : `["${k}"]`;
  const nested = key.startsWith('[') ? key : `.${key}`;
  return [key, `*${nested}`, `*.*${nested}`];
});

export interface LogConfig {
  level: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** Where JSON lines go. @default stdout */
  destination?: DestinationStream;
}

/**
 * The logger `startServer` creates from `CMS_LOG_LEVEL`; tests pass a `destination` to read its lines.
 * @example const log = createLogger({ level: 'info' }); log.info({ requestId }, 'request');
 */
export function createLogger(config: LogConfig): Logger {
  const options = {
    level: config.level,
    base: { service: 'cms-server' },
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label: string) => ({ level: label }) },
  };
  return config.destination ? pino(options, config.destination as DestinationStream) : pino(options);
}

/** For a component started without the server's logger (unit tests, benchmarks): warnings and errors. */
export function fallbackLogger(): Logger {
  return createLogger({ level: 'warn' });
}
