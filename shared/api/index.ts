export * from './result.ts';
export * from './schemas.ts';
export type * from './types.ts';
