import { describe, expect, it } from "vitest";
import { sessionIniScanDir, sessionPhpIni } from "../../src/app/sessionStore";

/** The save path as PHP's ini scanner reads a double-quoted value: up to the closing quote, `\` escaping `"`, `\`, `$` (Zend/zend_ini_scanner.l). */
function savePath(ini: string): string {
    const raw = /^session\.save_path = (.*)$/m.exec(ini)![1];
    expect(raw.startsWith('"') && raw.endsWith('"')).toBe(true);
    return raw.slice(1, -1);
}

describe("the PHP ini the boot hands the serving container", () => {
    it("keeps a password with ini, URL and shell metacharacters intact through PHP's ini scanner and query parser", () => {
        const password = `a+b/c=d&e"f$g{h}\\i'j k%20;#`;
        const path = savePath(sessionPhpIni("store.example.internal", 10000, password));
        // Nothing the ini scanner treats specially inside double quotes, nothing that ends a phpredis URL (blank, comma).
        expect(path).not.toMatch(/["\\$\s,;]/);
        const url = new URL(path);
        expect([url.protocol, url.hostname, url.port]).toEqual(["tls:", "store.example.internal", "10000"]);
        // URLSearchParams decodes as php_url_decode does ("+" a space, %XX a byte).
        expect(url.searchParams.get("auth[pass]")).toBe(password);
    });

    it("uses the redis handler over TLS with the mounted CA and a bounded connect timeout, sessions locked for OpenEMR's 60 s", () => {
        const ini = sessionPhpIni("h.example", 6379, "pw");
        expect(ini).toBe(
            [
                "session.save_handler = redis",
                'session.save_path = "tls://h.example:6379?auth[pass]=pw&stream[cafile]=/etc/emr-php/session-ca.pem&timeout=5"',
                // A lock lives 60 s; a request waits for it 1200 x 50 ms = 60 s (LockingRedisSessionHandler's defaults).
                "redis.session.locking_enabled = 1",
                "redis.session.lock_expire = 60",
                "redis.session.lock_wait_time = 50000",
                "redis.session.lock_retries = 1200",
                "",
            ].join("\n"),
        );
    });

    it("refuses a host that is not a DNS name, a port out of range and an empty password", () => {
        expect(() => sessionPhpIni("h.example?x=1", 6379, "pw")).toThrow(/not a DNS name/);
        expect(() => sessionPhpIni("h.example", 0, "pw")).toThrow(/not a port/);
        expect(() => sessionPhpIni("h.example", 6379, "")).toThrow(/empty/);
    });

    it("keeps the image's own conf.d: the scan directory list starts with the empty element PHP reads as its compiled-in directory", () => {
        expect(sessionIniScanDir).toBe(":/etc/emr-php");
    });
});
