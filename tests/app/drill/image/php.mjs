// PHP's view of its own configuration and of a session, inside the image:
// - the ini files: php.ini, then every *.ini of each scan directory in alphabetical order, a later
//   value replacing an earlier one (php-src main/php_ini.c php_init_config: php_scandir with
//   php_alphasort over PHP_CONFIG_FILE_SCAN_DIR). The image's compiled-in scan directory is
//   /etc/php${PHP_VERSION_ABBR}/conf.d: both entrypoint generations write their Redis settings
//   there and the devops one checks with ini_get that PHP reads them. PHP_INI_SCAN_DIR replaces
//   it: directories separated by ':', scanned in that order, an empty one standing for the
//   compiled-in directory (php_init_config: "empty string means default builtin value to allow
//   "/foo/php.d:" or ":/foo/php.d""; php.net/manual/en/configuration.file.php). A file PHP cannot
//   open is skipped without a word (VCWD_FOPEN failing), as is a directory it cannot scan. A double-quoted value keeps
//   a backslash unless it escapes `"`, `\` or `$` (Zend/zend_ini_scanner.l zend_ini_escape_string),
//   so the release generation's `\&` stays a backslash and an ampersand.
// - ini_get(key): what `php -r "echo ini_get('key');"` prints.
import { accessSync, constants, existsSync, readdirSync, readFileSync } from "node:fs";

const etc = () => `/etc/php${process.env.PHP_VERSION_ABBR}`;

function unquote(raw) {
    const value = raw.trim();
    if (!value.startsWith('"')) return value.replace(/\s*;.*$/, "");
    let out = "";
    for (let i = 1; i < value.length && value[i] !== '"'; i++) {
        if (value[i] === "\\" && ['"', "\\", "$"].includes(value[i + 1])) out += value[++i];
        else out += value[i];
    }
    return out;
}

/** Every setting PHP ends up with, from php.ini and conf.d/*.ini. */
export function iniSettings() {
    const files = [`${etc()}/php.ini`];
    const scanDirs = (process.env.PHP_INI_SCAN_DIR ?? "").split(":").map((d) => d || `${etc()}/conf.d`);
    // Unset: the compiled-in directory; set but empty: none (php_init_config skips an empty scan path).
    for (const scan of process.env.PHP_INI_SCAN_DIR === undefined ? [`${etc()}/conf.d`] : process.env.PHP_INI_SCAN_DIR === "" ? [] : scanDirs) {
        let names = [];
        try {
            names = readdirSync(scan);
        } catch {
            continue;
        }
        files.push(...names.filter((f) => f.endsWith(".ini")).sort().map((f) => `${scan}/${f}`));
    }
    const readable = (f) => {
        try {
            accessSync(f, constants.R_OK);
            return true;
        } catch {
            return false;
        }
    };
    const settings = {};
    for (const file of files.filter((f) => existsSync(f) && readable(f))) {
        for (const line of readFileSync(file, "utf8").split("\n")) {
            const m = /^\s*([A-Za-z0-9_.]+)\s*=(.*)$/.exec(line);
            if (m) settings[m[1]] = unquote(m[2]);
        }
    }
    return settings;
}

export const iniGet = (key) => iniSettings()[key] ?? "";
