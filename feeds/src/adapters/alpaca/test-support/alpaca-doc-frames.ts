/*
 * Alpaca frames for the tests. There is no recording of Alpaca (../shared/recordings/README.md:
 * "Stock venues (Alpaca, ...): I found no real recorded session"), so these are the frames Alpaca's
 * documentation prints, byte for byte where it prints a frame, and otherwise its pretty-printed
 * examples put on one line inside the array every message arrives in. Each says where it is from:
 *
 * [stream]  docs.alpaca.markets/docs/streaming-market-data (page source updatedAt 2026-08-27)
 * [stocks]  docs.alpaca.markets/docs/real-time-stock-pricing-data (scraped 2026-01-26)
 * [v2-2021] github.com/alpacahq/alpaca-docs content/api-references/market-data-api/
 *           stock-pricing-data/realtime.md ("Streaming example", the 2021 docs)
 * [schema]  not printed by the docs: built from the schema table of [stocks] for a case the
 *           examples lack (a resumption, a CTA halt, an informational status)
 */

/** [stream] "Upon successfully connecting, you will receive the welcome message". */
export const CONNECTED = '[{"T":"success","msg":"connected"}]';

/** [stream] "After successful authentication, the server responds". */
export const AUTHENTICATED = '[{"T":"success","msg":"authenticated"}]';

/** [stream] "If you try to open a second connection, you'll get this error". */
export const CONNECTION_LIMIT = '[{"T":"error","code":406,"msg":"connection limit exceeded"}]';

/** [stream] the Errors table, one frame per row (code, message). */
export const ERRORS: Readonly<Record<number, string>> = {
  400: '[{"T":"error","code":400,"msg":"invalid syntax"}]',
  401: '[{"T":"error","code":401,"msg":"not authenticated"}]',
  402: '[{"T":"error","code":402,"msg":"auth failed"}]',
  403: '[{"T":"error","code":403,"msg":"already authenticated"}]',
  404: '[{"T":"error","code":404,"msg":"auth timeout"}]',
  405: '[{"T":"error","code":405,"msg":"symbol limit exceeded"}]',
  406: CONNECTION_LIMIT,
  407: '[{"T":"error","code":407,"msg":"slow client"}]',
  409: '[{"T":"error","code":409,"msg":"insufficient subscription"}]',
  410: '[{"T":"error","code":410,"msg":"invalid subscribe action for this feed"}]',
  500: '[{"T":"error","code":500,"msg":"internal error"}]',
};

/** [stocks] the Example session: the answer to trades AAPL, quotes AMD+CLDR, bars *, dailyBars VOO, statuses *. */
export const SIP_SUBSCRIPTION =
  '[{"T":"subscription","trades":["AAPL"],"quotes":["AMD","CLDR"],"bars":["*"],"updatedBars":[],"dailyBars":["VOO"],' +
  '"statuses":["*"],"lulds":[],"corrections":["AAPL"],"cancelErrors":["AAPL"]}]';

/** [stocks] Example session, the first AMD quote. */
export const SIP_QUOTE_AMD_1 =
  '[{"T":"q","S":"AMD","bx":"K","bp":91.95,"bs":2,"ax":"Q","ap":91.98,"as":1,"c":["R"],"z":"C","t":"2023-04-06T11:54:21.670905508Z"}]';

/** [stocks] Example session: three AAPL trades batched in one frame. */
export const SIP_TRADES_AAPL =
  '[{"T":"t","S":"AAPL","i":628,"x":"K","p":162.92,"s":3,"c":["@","F","T","I"],"z":"C","t":"2023-04-06T11:54:26.838232225Z"},' +
  '{"T":"t","S":"AAPL","i":75,"x":"Z","p":162.92,"s":3,"c":["@","F","T","I"],"z":"C","t":"2023-04-06T11:54:26.838562809Z"},' +
  '{"T":"t","S":"AAPL","i":1465,"x":"P","p":162.91,"s":71,"c":["@","F","T","I"],"z":"C","t":"2023-04-06T11:54:26.83915973Z"}]';

/** [stocks] Example session, the second AMD quote ("bp":91.9 as printed). */
export const SIP_QUOTE_AMD_2 =
  '[{"T":"q","S":"AMD","bx":"P","bp":91.9,"bs":1,"ax":"Q","ap":91.98,"as":1,"c":["R"],"z":"C","t":"2023-04-06T11:54:27.924933876Z"}]';

/** [v2-2021] Streaming example: one trade, then three AMD quotes in one frame. */
export const V2_TRADE_AAPL =
  '[{"T":"t","i":96921,"S":"AAPL","x":"D","p":126.55,"s":1,"t":"2021-02-22T15:51:44.208Z","c":["@","I"],"z":"C"}]';
export const V2_QUOTES_AMD =
  '[{"T":"q","S":"AMD","bx":"U","bp":87.66,"bs":1,"ax":"X","ap":87.67,"as":1,"t":"2021-02-22T15:51:45.3355677Z","c":["R"],"z":"C"},' +
  '{"T":"q","S":"AMD","bx":"U","bp":87.66,"bs":1,"ax":"Q","ap":87.68,"as":4,"t":"2021-02-22T15:51:45.335689322Z","c":["R"],"z":"C"},' +
  '{"T":"q","S":"AMD","bx":"U","bp":87.66,"bs":1,"ax":"X","ap":87.67,"as":1,"t":"2021-02-22T15:51:45.335806018Z","c":["R"],"z":"C"}]';

/** [stocks] schema examples (pretty-printed in the docs), one per frame. */
export const BAR_SPY =
  '[{"T":"b","S":"SPY","o":388.985,"h":389.13,"l":388.975,"c":389.12,"v":49378,"n":461,"vw":389.062639,"t":"2021-02-22T19:15:00Z"}]';
export const CORRECTION_EEM =
  '[{"T":"c","S":"EEM","x":"M","oi":52983525033527,"op":39.1582,"os":440000,"oc":[" ","7"],"ci":52983525034326,' +
  '"cp":39.1809,"cs":440000,"cc":[" ","7"],"z":"B","t":"2023-04-06T14:25:06.542305024Z"}]';
export const CANCEL_GOOGL =
  '[{"T":"x","S":"GOOGL","i":465,"x":"D","p":105.31,"s":300,"a":"C","z":"C","t":"2023-04-06T13:15:42.83540958Z"}]';
export const LULD_IONM =
  '[{"T":"l","S":"IONM","u":3.24,"d":2.65,"i":"B","t":"2023-04-06T13:34:45.565004401Z","z":"C"}]';
export const IMBALANCE_INAQU = '[{"T":"i","S":"INAQU","p":9.12,"z":"C","t":"2024-12-13T19:58:09.242138635Z"}]';
/** [stocks] the Trading Status example: a UTP halt for information requested by NASDAQ. */
export const STATUS_HALT_AAPL =
  '[{"T":"s","S":"AAPL","sc":"H","sm":"Trading Halt","rc":"T12","rm":"Trading Halted; For information requested by NASDAQ",' +
  '"t":"2021-02-22T19:15:00Z","z":"C"}]';

/** [schema] UTP trading resumption (status code T) of the halt above, five minutes later. */
export const STATUS_RESUME_AAPL =
  '[{"T":"s","S":"AAPL","sc":"T","sm":"Trading Resumption","rc":"","rm":"","t":"2021-02-22T19:20:00Z","z":"C"}]';
/** [schema] CTA halt (code 2) with reason M "Limit Up-Limit Down (LULD) Trading Pause". */
export const STATUS_LULD_PAUSE_AMD =
  '[{"T":"s","S":"AMD","sc":"2","sm":"Trading Halt","rc":"M","rm":"Limit Up-Limit Down (LULD) Trading Pause",' +
  '"t":"2023-04-06T14:00:00Z","z":"A"}]';
/** [schema] CTA informational status E "Short Sale Restriction": no trading change. */
export const STATUS_SSR_AMD =
  '[{"T":"s","S":"AMD","sc":"E","sm":"Short Sale Restriction","rc":"","rm":"","t":"2023-04-06T14:01:00Z","z":"A"}]';

/** [stream] the test stream example (wscat against /v2/test with FAKEPACA). */
export const TEST_SUBSCRIPTION = '[{"T":"subscription","trades":[],"quotes":["FAKEPACA"],"bars":["FAKEPACA"]}]';
export const TEST_QUOTE_1 =
  '[{"T":"q","S":"FAKEPACA","bx":"O","bp":133.85,"bs":4,"ax":"R","ap":135.77,"as":5,"c":["R"],"z":"A","t":"2024-07-24T07:56:53.639713735Z"}]';
export const TEST_QUOTE_2 =
  '[{"T":"q","S":"FAKEPACA","bx":"O","bp":133.85,"bs":4,"ax":"R","ap":135.77,"as":5,"c":["R"],"z":"A","t":"2024-07-24T07:56:58.641207127Z"}]';
export const TEST_BAR =
  '[{"T":"b","S":"FAKEPACA","o":132.65,"h":136,"l":132.12,"c":134.65,"v":205,"t":"2024-07-24T07:56:00Z","n":16,"vw":133.7}]';

/** [stream] the client's side: "For example in the test stream, you can send this message". */
export const TEST_SUBSCRIBE_TRADES = '{"action":"subscribe","trades":["FAKEPACA"]}';
