/**
 * A protocol peer in a process of its own for bench/messages.bench.ts, so that the receiving side
 * does not share the sender's event loop: `smtp [delay ms]` (smtp-server) or `http` (answers like Zenvia).
 * Prints its URL, then answers "count" messages on the IPC channel with what it received.
 */
import { startHttpPeer, startSmtpPeer } from "../test/support/message-peers.ts";

const kind = process.argv[2];
/** `smtp 20`: the SMTP peer takes 20 ms to accept each message (bench/dispatch-workers.bench.ts) */
const delayMs = Number(process.argv[3] ?? 0);
if (kind === "smtp") {
  const peer = await startSmtpPeer(0, { keep: false });
  peer.delayMs = delayMs;
  process.on("message", () =>
    process.send?.({ count: peer.messageIds.length, distinct: new Set(peer.messageIds).size }),
  );
  process.send?.({ url: peer.url });
} else {
  let count = 0;
  const peer = await startHttpPeer({ keep: false });
  const answer = peer.respond;
  peer.respond = (request, index) => {
    count += 1;
    return answer(request, index);
  };
  process.on("message", () => process.send?.({ count, distinct: count }));
  process.send?.({ url: peer.url });
}
