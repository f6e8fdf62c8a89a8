import pkg from '../package.json' with { type: 'json' };

/** The version of @cms/cli, from its package.json (inlined by the build). */
export const version: string = pkg.version;
