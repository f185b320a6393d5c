import { mergeByTime, readCryptofeedFile, readCryptofeedSession } from '../../recording/cryptofeed-recording';
import { sharedRecording } from '../../test-support/shared-recordings';
import type { Dialect } from '../dialect';
import { createVirtualExchange, type VirtualExchange, type VirtualExchangeOptions } from '../exchange';
import { recordingFrameSource, type RecordingFrameSource } from '../recording-source';
import { TestClient, type TestClientOptions } from './test-client';

/** Reads shared recordings (merged by time when several) into a frame source of `dialect`. */
export function sharedSource(
  dialect: Dialect,
  wsFiles: readonly string[],
  httpFile?: string,
): Promise<RecordingFrameSource> {
  const [first, ...rest] = wsFiles;
  if (first === undefined) throw new Error('no recording named');
  const entries =
    rest.length === 0
      ? readCryptofeedSession(sharedRecording(first), httpFile === undefined ? undefined : sharedRecording(httpFile))
      : mergeByTime(wsFiles.map((file) => readCryptofeedFile(sharedRecording(file))));
  return recordingFrameSource(dialect, entries);
}

/** Exchanges and clients of one test, all closed in `afterEach`. */
export class Harness {
  private readonly exchanges: VirtualExchange[] = [];
  private readonly clients: TestClient[] = [];

  async exchange(options: VirtualExchangeOptions): Promise<VirtualExchange> {
    const exchange = await createVirtualExchange(options);
    this.exchanges.push(exchange);
    return exchange;
  }

  async client(url: string, options?: TestClientOptions): Promise<TestClient> {
    const client = await TestClient.connect(url, options);
    this.clients.push(client);
    return client;
  }

  async cleanup(): Promise<void> {
    await Promise.all(this.clients.splice(0).map((client) => client.close()));
    await Promise.all(this.exchanges.splice(0).map((exchange) => exchange.close()));
  }
}
