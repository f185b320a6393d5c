export * from './book-level';
export * from './book-update-error';
export * from './checksum';
export * from './midpoint';
export * from './order-book';
