/** Worker-thread entry of the Java pool: parses batches of files and posts their facts back as plain data. */
import { parentPort } from 'node:worker_threads';
import { extractJavaFacts } from './extract.ts';
import type { ExtractRequest, ExtractResponse } from './pool.ts';
import { getJavaParser } from './parser.ts';

const port = parentPort;
if (port !== null) {
  // load the grammar now, while the main thread is still reading the first files
  void getJavaParser().catch(() => undefined);
  port.on('message', (request: ExtractRequest) => {
    void getJavaParser().then(
      (parser) => {
        const response: ExtractResponse = {
          id: request.id,
          facts: request.texts.map((text) => extractJavaFacts(parser, text)),
        };
        port.postMessage(response);
      },
      (error: unknown) => {
        const response: ExtractResponse = { id: request.id, error: String(error) };
        port.postMessage(response);
      },
    );
  });
}
