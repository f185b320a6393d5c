export { OkxAdapter, type OkxAdapterOptions } from './okx-adapter';
export { instrumentsFromOkx } from './okx-instruments';
export { OkxSession } from './okx-session';
export { parseInstId, subscriptionsFromRequests } from './okx-symbols';
