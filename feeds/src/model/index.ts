export * from './events';
export * from './instrument';
export * from './time';
export * from './venue';
