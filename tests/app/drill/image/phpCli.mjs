#!/usr/bin/env node
// The image's `php` CLI (docker/release/Dockerfile: `ln -sf /usr/bin/php${PHP_VERSION_ABBR}
// /usr/bin/php`), as far as the boot uses it: `php [-d key=value]... -r CODE`, CODE a sequence of
// the statements below; any other program stops here, loudly (exit 99), so the boot cannot come to
// rely on PHP the drill does not model.
// - `set_error_handler(fn() => exit(N), E_WARNING);`: a later warning exits N, and prints nothing;
// - `ini_get("key") === "value" || exit(N);`: PHP's own settings (php.mjs, with the -d overrides);
// - `session_start();`: phpredis opens the session and reads it (phpSession.mjs: connect, TLS
//   against stream[cafile], AUTH, GET); a failure is a warning, not an error, and its text quotes
//   session.save_path (php-src ext/session/session.c php_session_initialize: "Failed to read session
//   data: %s (path: %s)"). The write that PHP makes at session_write_close (SETEX) is made here too,
//   within the same connection, and a failure of it is reported the same way;
// - `$_SESSION[...] = ...;`, `session_write_close();`.
// A warning without a handler goes to stderr (log_errors, the CLI's error_log) and stdout
// (display_errors), each unless turned off with -d ...=0; the exit status stays 0, as PHP's does.
import { iniSettings } from "./php.mjs";
import { phpSession } from "./phpSession.mjs";

const args = process.argv.slice(2);
const overrides = {};
let code;
for (let i = 0; i < args.length; i++) {
    if (args[i] === "-d") {
        const [key, ...value] = args[++i].split("=");
        overrides[key] = value.join("=");
    } else if (args[i] === "-r") code = args[++i];
    else code = undefined;
}
const notModelled = (what) => {
    process.stderr.write(`drill: php ${what} is not modelled\n`);
    process.exit(99);
};
if (code === undefined) notModelled(args.join(" "));
const settings = { ...iniSettings(), ...overrides };
let handlerExit;
const warn = (text) => {
    if (handlerExit !== undefined) process.exit(handlerExit);
    if (settings.log_errors !== "0") process.stderr.write(`PHP Warning:  ${text} in Command line code on line 1\n`);
    if (settings.display_errors !== "0") process.stdout.write(`\nWarning: ${text} in Command line code on line 1\n`);
};
for (const statement of code.split(";").map((s) => s.trim()).filter(Boolean)) {
    let m;
    if ((m = /^set_error_handler\(fn\(\) => exit\((\d+)\), E_WARNING\)$/.exec(statement))) handlerExit = Number(m[1]);
    else if ((m = /^ini_get\("([\w.]+)"\) === "([^"]*)" \|\| exit\((\d+)\)$/.exec(statement))) {
        if ((settings[m[1]] ?? "") !== m[2]) process.exit(Number(m[3]));
    } else if (statement === "session_start()") {
        const result = await phpSession(`cli${process.pid}${Date.now()}`, overrides);
        if (result.error) warn(`session_start(): Failed to read session data: ${settings["session.save_handler"]} (path: ${settings["session.save_path"] ?? ""})`);
    } else if (/^\$_SESSION\[[^\]]+\] = [^;]+$/.test(statement) || statement === "session_write_close()") continue;
    else notModelled(`statement ${statement}`);
}
process.exit(0);
