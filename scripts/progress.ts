/** One progress line on stderr, rewritten in place, when stderr is a terminal; nothing otherwise (logs, cron, tests). */
export function progressLine(stream: NodeJS.WriteStream = process.stderr) {
  let shown = false;
  return {
    update(line: string) {
      if (!stream.isTTY) return;
      stream.write(`\r\x1b[K${line}`);
      shown = true;
    },
    done() {
      if (shown) stream.write("\r\x1b[K");
      shown = false;
    },
  };
}
