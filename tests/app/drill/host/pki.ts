import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/**
 * The world's certificates, made with this machine's openssl: one root CA that stands for the
 * public roots (DigiCert, Amazon) the servers trust, the cloud's TLS certificate for every service
 * name it answers (a wildcard covers one label only, RFC 6125 6.4.3, so regional names are listed),
 * the RDS CA (the bundle the AWS servers download), and the self-signed pair the image's ssl.sh
 * would generate. EC keys: the drill needs certificates, not RSA's key generation time.
 */
export interface Pki {
    rootPem: string;
    dbCaPem: string;
    dir: string;
}

const serviceNames = ["*.vault.azure.net", "management.azure.com", "secretsmanager.eu-west-1.amazonaws.com", "truststore.pki.rds.amazonaws.com", "packages.microsoft.com", "registry-1.docker.io"];

export function makePki(dir: string): Pki {
    mkdirSync(dir, { recursive: true });
    const ssl = (...args: string[]) => execFileSync("openssl", args, { cwd: dir, stdio: ["ignore", "ignore", "pipe"] });
    const ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"];
    ssl("req", "-x509", ...ec, "-keyout", "root.key.pem", "-out", "root.cert.pem", "-days", "2", "-subj", "/CN=Drill Public Root CA");
    ssl("req", ...ec, "-keyout", "cloud.key.pem", "-out", "cloud.csr", "-subj", "/CN=drill cloud");
    writeFileSync(join(dir, "san.ext"), `subjectAltName=${serviceNames.map((n) => `DNS:${n}`).join(",")}\n`);
    ssl("x509", "-req", "-in", "cloud.csr", "-CA", "root.cert.pem", "-CAkey", "root.key.pem", "-CAcreateserial", "-days", "2", "-extfile", "san.ext", "-out", "cloud.cert.pem");
    ssl("req", "-x509", ...ec, "-keyout", "db-ca.key.pem", "-out", "db-ca.cert.pem", "-days", "2", "-subj", "/CN=Drill Database Root CA");
    ssl("req", "-x509", ...ec, "-keyout", "selfsigned.key.pem", "-out", "selfsigned.cert.pem", "-days", "2", "-subj", "/CN=localhost");
    return { rootPem: readFileSync(join(dir, "root.cert.pem"), "utf8"), dbCaPem: readFileSync(join(dir, "db-ca.cert.pem"), "utf8"), dir };
}
