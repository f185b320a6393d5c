export * from './arithmetic';
export * from './canonicalize';
export * from './compare';
export * from './decimal-string';
export * from './exact-sum';
export * from './scaled';
