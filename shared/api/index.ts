export * from './result.ts';
export * from './schemas.ts';
export type * from './types.ts';
export * from './bounds.ts';
