// What differs between the OpenEMR image tags the drill serves, read from the image layer
// (/etc/drill-image.json, written by host/assets.ts): the tag, the openemr.sh generation, the 8.x health
// endpoints, and the image's clock: every sleep of openemr.sh (10 s leader wait, 1 s setup retry)
// and the install's pace run `timescale` times as long, so a drill takes seconds, not minutes.
import { readFileSync } from "node:fs";

let cached;
export function imageConfig() {
    cached ??= JSON.parse(readFileSync("/etc/drill-image.json", "utf8"));
    return cached;
}

export const sleepScaled = (ms) => new Promise((resolve) => setTimeout(resolve, ms * imageConfig().timescale));

/** sqlconf.php's variables as PHP would read them (require_once; echo $config). */
export function readSqlconf(path) {
    let text = "";
    try {
        text = readFileSync(path, "utf8");
    } catch {
        return { config: 0 };
    }
    const get = (name) => new RegExp(`\\$${name}\\s*=\\s*'([^']*)'`).exec(text)?.[1];
    return { config: Number(/\$config\s*=\s*(\d)/.exec(text)?.[1] ?? 0), host: get("host"), port: get("port"), login: get("login"), pass: get("pass"), dbase: get("dbase") };
}
