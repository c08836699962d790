import { execFileSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, readdirSync, symlinkSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { azureMysqlRootCas } from "../../../../src/azure/mysqlRootCas";
import { makePki, type Pki } from "./pki";
import { registryContent, type ImageSettings, type RegistryContent } from "./registryContent";

/**
 * What every world of one drill run shares, built once: the certificates, the OpenEMR image
 * layers the registry serves, and one read-only base layer per distro that a server's root
 * overlays on this machine's root. Servers see it at /.drill/assets.
 */
export const drillDir = resolve(__dirname, "..");
export type Distro = "amzn" | "ubuntu";

/**
 * The two generations of the image's entrypoint the 8.x line has shipped, which differ in what a
 * container does with sites/docker-leader once the install is complete:
 * - "devops": openemr/openemr-devops docker/openemr/8.0.0/openemr.sh @0a01646 (7.0.3 the same;
 *   ported to openemr/openemr rel-800 docker/release by openemr#12496): every container tries to
 *   take docker-leader with noclobber, and the one that does runs ssl.sh and, on its first run,
 *   chmods the whole code tree before it removes the file again;
 * - "release": openemr/openemr docker/release/openemr.sh @00239a7 (master since the docker build
 *   moved there, openemr#12482): try_become_leader takes nobody once sites/docker-completed
 *   exists, a leader file older than LEADER_TIMEOUT (300 s) counts as stale, and followers
 *   without a certificate run ssl.sh themselves.
 * Which one the 8.3.0 tag was built from could not be read off any source the drill has (the tag
 * is built from a release branch of openemr/openemr; see the report of the drill2 branch), so
 * the drill serves 8.3.0 as "release" and 8.0.0 as "devops", and the stale-leader scenario runs
 * the older generation, the one a stale leader can hurt.
 */
export interface ImageTag {
    tag: string;
    generation: "devops" | "release";
    /** 8.x has /meta/health/{livez,readyz}. */
    health: boolean;
}

export const imageTags: ImageTag[] = [
    { tag: "7.0.3", generation: "devops", health: false },
    { tag: "8.0.0", generation: "devops", health: true },
    { tag: "8.3.0", generation: "release", health: true },
];

/** The image's clock: its sleeps (10 s follower wait, 1 s setup retry, key generation, the chmod of the code tree) run this many times as long. */
export const imageTimescale = 0.05;
/** How long the installer takes per schema table (real: minutes for ~250 tables). */
const tableMs = 40;

export interface Assets {
    dir: string;
    pki: Pki;
    /** What the drill's Docker Hub serves: every tag's builds (host/registryContent.ts). */
    registry: RegistryContent;
}

/**
 * An image layer as the image has it (openemr-devops docker/openemr/<tag>/Dockerfile, openemr
 * docker/release/Dockerfile): WORKDIR /var/www/localhost/htdocs/openemr with openemr.sh (our
 * model, image/openemr.mjs), auto_configure.php, the sites/default skeleton (sqlconf.php with
 * $config = 0, documents/certificates/), /swarm-pieces/{ssl,sites}, /etc/ssl with openssl.cnf,
 * certs/, private/, /root/docker-version, /etc/php84 (php.ini, conf.d/), VOLUME ["/etc/letsencrypt/", "/etc/ssl"], CMD
 * ["./openemr.sh"], the mariadb client (Dockerfile: apk add ... mariadb-client) and the php CLI (image/phpCli.mjs). Node, sh,
 * curl and the rest of the userland come from the base layer (this machine).
 */
function buildImage(dir: string, pkiDir: string, image: ImageTag): { tag: string; layerDir: string; settings: ImageSettings } {
    const layer = join(dir, "images", image.tag);
    const oe = join(layer, "var/www/localhost/htdocs/openemr");
    mkdirSync(join(oe, "sites/default/documents/certificates"), { recursive: true });
    writeFileSync(join(oe, "sites/default/sqlconf.php"), "<?php\n$host\t= 'localhost';\n$port\t= '3306';\n$login\t= 'openemr';\n$pass\t= 'openemr';\n$dbase\t= 'openemr';\n\n$config = 0; /////////////\n?>\n", { mode: 0o666 });
    writeFileSync(join(oe, "openemr.sh"), `#!/bin/sh\nexec node ${drillDir}/image/openemr.mjs\n`, { mode: 0o500 });
    writeFileSync(join(oe, "auto_configure.php"), "", { mode: 0o000 });
    writeFileSync(join(oe, "docker-version"), "9");
    for (const sub of ["etc/ssl/certs", "etc/ssl/private", "root", "usr/share/drill", "usr/bin"]) mkdirSync(join(layer, sub), { recursive: true });
    cpSync("/etc/ssl/openssl.cnf", join(layer, "etc/ssl/openssl.cnf"));
    cpSync(join(layer, "etc/ssl"), join(layer, "swarm-pieces/ssl"), { recursive: true });
    cpSync(join(oe, "sites"), join(layer, "swarm-pieces/sites"), { recursive: true });
    writeFileSync(join(layer, "root/docker-version"), "9");
    for (const pem of ["selfsigned.key.pem", "selfsigned.cert.pem"]) cpSync(join(pkiDir, pem), join(layer, "usr/share/drill", pem));
    for (const client of ["mariadb", "mysql"]) symlinkSync(join(drillDir, "image/mariadb.mjs"), join(layer, "usr/bin", client));
    // The PHP CLI (Dockerfile: `ln -sf /usr/bin/php${PHP_VERSION_ABBR} /usr/bin/php`): the boot's session check runs it.
    symlinkSync(join(drillDir, "image/phpCli.mjs"), join(layer, "usr/bin/php"));
    // PHP's configuration as the Dockerfile leaves it: COPY php.ini /etc/php${PHP_VERSION_ABBR}/php.ini
    // (PHP 8.4: ARG PHP_VERSION=8.4, ENV PHP_VERSION_ABBR=${PHP_VERSION//./}) with its file
    // sessions (session.save_handler = files, as php.ini-production has it), and the conf.d scan
    // directory the entrypoint's Redis section writes into (image/php.mjs reads them as PHP does).
    mkdirSync(join(layer, "etc/php84/conf.d"), { recursive: true });
    writeFileSync(join(layer, "etc/php84/php.ini"), "[Session]\nsession.save_handler = files\nsession.gc_maxlifetime = 1440\n");
    writeFileSync(join(layer, "etc/drill-image.json"), JSON.stringify({ ...image, timescale: imageTimescale, tableMs }));
    return {
        tag: image.tag,
        layerDir: `/.drill/assets/images/${image.tag}`,
        settings: {
            Env: ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "PHP_VERSION=8.4", "PHP_VERSION_ABBR=84", "APACHE_LOG_DIR=/var/log/apache2"],
            Entrypoint: null,
            Cmd: ["./openemr.sh"],
            WorkingDir: "/var/www/localhost/htdocs/openemr",
            Volumes: ["/etc/letsencrypt/", "/etc/ssl"],
        },
    };
}

const osRelease: Record<Distro, string> = {
    amzn: 'NAME="Amazon Linux"\nVERSION="2023"\nID="amzn"\nVERSION_ID="2023"\n',
    ubuntu: 'NAME="Ubuntu"\nVERSION="24.04 LTS (Noble Numbat)"\nID=ubuntu\nVERSION_ID="24.04"\n',
};

/** Programs this machine has that the fresh server must not have before their package is installed. */
const hidden: Record<Distro, string[]> = {
    amzn: ["/usr/bin/jq", "/usr/sbin/iptables", "/usr/sbin/iptables-save", "/usr/sbin/iptables-restore", "/usr/sbin/xtables-nft-multi", "/usr/bin/dpkg", "/usr/bin/apt-get", "/usr/bin/mysql", "/usr/bin/mariadb", "/usr/bin/docker", "/usr/sbin/mount.nfs", "/usr/sbin/mount.nfs4"],
    ubuntu: ["/usr/bin/jq", "/usr/bin/mysql", "/usr/bin/mariadb", "/usr/bin/aws", "/usr/bin/docker", "/usr/sbin/mount.nfs", "/usr/sbin/mount.nfs4"],
};

/**
 * A fresh cloud image's root as a layer over this machine's: its identity (/etc/os-release), what
 * it does not have until a package brings it (overlay whiteouts: a 0/0 character device hides the
 * lower file, docs.kernel.org/filesystems/overlayfs.html "whiteouts and opaque directories"), an
 * empty /usr/local, the stand-ins that replace this machine's own programs (systemctl, the AWS
 * CLI, dpkg/apt-get), its fstab and a trust store that holds the world's public root.
 */
function buildDistro(dir: string, distro: Distro, rootPem: string) {
    const layer = join(dir, "distro", distro);
    const put = (path: string, content: string) => {
        mkdirSync(dirname(join(layer, path)), { recursive: true });
        writeFileSync(join(layer, path), content);
    };
    const link = (target: string, path: string) => {
        mkdirSync(dirname(join(layer, path)), { recursive: true });
        symlinkSync(target, join(layer, path));
    };
    const local = ["/usr/local/bin", "/usr/local/sbin"].flatMap((d) => (existsSync(d) ? readdirSync(d).map((entry) => `${d}/${entry}`) : []));
    const whiteouts = [...hidden[distro], ...local].filter((p) => existsSync(p)).map((p) => join(layer, p));
    for (const path of whiteouts) mkdirSync(dirname(path), { recursive: true });
    execFileSync("sh", ["-c", 'for p; do mknod "$p" c 0 0; done', "sh", ...whiteouts]);
    put("/etc/os-release", osRelease[distro]);
    put("/etc/fstab", "# /etc/fstab of a fresh cloud image\nLABEL=root / ext4 defaults 0 1\n");
    // The trust store holds the roots the world's services chain to: the drill's public root and
    // the two Azure Database for MySQL chains to (DigiCert Global Root G2, Microsoft RSA Root CA
    // 2017: src/azure/mysqlRootCas.ts), which Ubuntu's and AL2023's stores have. A real store has
    // some 140 roots and finds the right one the same way; parsing all of them costs every TLS
    // client (curl, the AWS CLI, dockerd) tens of milliseconds a start, so the rest are left out.
    put("/etc/ssl/certs/ca-certificates.crt", `${rootPem}${azureMysqlRootCas}\n`);
    // AL2023 keeps its bundle where Fedora's ca-certificates does: the p11-kit extract
    // /etc/pki/ca-trust/extracted/pem/tls-ca-bundle.pem, linked from the traditional
    // /etc/pki/tls/certs/ca-bundle.crt (update-ca-trust(8)); the boot hands that path to the
    // serving container as the session store's CA (src/aws/webBoot.ts sessionCaFile). Ubuntu's is
    // the file above (src/azure/webBoot.ts). The drill's servers run this machine's (Debian's) curl
    // and openssl, which read the Debian path, so AL2023 servers have both.
    if (distro === "amzn") {
        put("/etc/pki/ca-trust/extracted/pem/tls-ca-bundle.pem", `${rootPem}${azureMysqlRootCas}\n`);
        link("/etc/pki/ca-trust/extracted/pem/tls-ca-bundle.pem", "/etc/pki/tls/certs/ca-bundle.crt");
    }
    link(join(drillDir, "server"), "/.drill/bin");
    link(join(drillDir, "server/systemctl.sh"), "/usr/bin/systemctl");
    if (distro === "amzn") link(join(drillDir, "server/aws"), "/usr/bin/aws");
    else for (const tool of ["dpkg", "apt-get"]) link(join(drillDir, "server/apt"), `/usr/bin/${tool}`);
}

/** The device nodes and links of a server's own /dev (host/server.sh copies them onto a tmpfs): mem 1:3/5/7/8/9, tty 5:0, and /proc/self/fd's links. */
function buildDev(dir: string) {
    const dev = join(dir, "dev");
    mkdirSync(dev, { recursive: true });
    const nodes = "mknod -m 666 null c 1 3 && mknod -m 666 zero c 1 5 && mknod -m 666 full c 1 7 && mknod -m 666 random c 1 8 && mknod -m 666 urandom c 1 9 && mknod -m 666 tty c 5 0";
    const links = "ln -s /proc/self/fd fd && ln -s /proc/self/fd/0 stdin && ln -s /proc/self/fd/1 stdout && ln -s /proc/self/fd/2 stderr && mkdir pts shm";
    execFileSync("sh", ["-c", `cd "$0" && ${nodes} && ${links}`, dev]);
}

export function buildAssets(dir: string): Assets {
    const pki = makePki(join(dir, "tls"));
    const registry = registryContent("openemr/openemr", imageTags.map((t) => buildImage(dir, pki.dir, t)));
    for (const distro of Object.keys(osRelease) as Distro[]) buildDistro(dir, distro, pki.rootPem);
    buildDev(dir);
    return { dir, pki, registry };
}
