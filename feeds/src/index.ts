export * from './decimal';
export * from './model';
