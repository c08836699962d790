// Preloaded by the bench: reports the process's peak resident memory when it exits.
process.on("exit", () => process.stderr.write(`\npeak-rss-kb ${process.resourceUsage().maxRSS}\n`));
