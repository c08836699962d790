import { cpSync, mkdirSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/**
 * The OpenEMR image layers the registry serves (world/images/<tag>), laid out as the image has
 * them (openemr-devops docker/openemr/<tag>/Dockerfile): WORKDIR /var/www/localhost/htdocs/openemr
 * with openemr.sh (here: our model of it, image/openemr.mjs) and the sites/default skeleton
 * (sqlconf.php with $config = 0, documents/certificates/), /swarm-pieces/{ssl,sites} (the copies
 * the swarm leader restores), /etc/ssl with openssl.cnf, certs/, private/ (apk openssl + mkdir -p),
 * VOLUME ["/etc/letsencrypt/", "/etc/ssl"], ENV APACHE_LOG_DIR, CMD ["./openemr.sh"], and the
 * mariadb client. Node, sh and the rest of the userland come from the base layer (this machine).
 */
export interface ImageTag {
    tag: string;
    /** 8.x has /meta/health/{livez,readyz}. */
    health: boolean;
}

export const imageTags: ImageTag[] = [
    { tag: "7.0.3", health: false },
    { tag: "8.0.0", health: true },
    { tag: "8.1.0", health: true },
    { tag: "8.2.0", health: true },
];

export function buildImage(worldDir: string, drillDir: string, pkiDir: string, image: ImageTag, timescale: number, tableMs: number) {
    const layer = join(worldDir, "images", image.tag);
    const oe = join(layer, "var/www/localhost/htdocs/openemr");
    mkdirSync(join(oe, "sites/default/documents/certificates"), { recursive: true });
    writeFileSync(join(oe, "sites/default/sqlconf.php"), "<?php\n$host\t= 'localhost';\n$port\t= '3306';\n$login\t= 'openemr';\n$pass\t= 'openemr';\n$dbase\t= 'openemr';\n\n$config = 0; /////////////\n?>\n", { mode: 0o666 });
    writeFileSync(join(oe, "openemr.sh"), `#!/bin/sh\nexec node ${drillDir}/image/openemr.mjs\n`, { mode: 0o500 });
    writeFileSync(join(oe, "auto_configure.php"), "", { mode: 0o000 });
    mkdirSync(join(layer, "etc/ssl/certs"), { recursive: true });
    mkdirSync(join(layer, "etc/ssl/private"), { recursive: true });
    cpSync("/etc/ssl/openssl.cnf", join(layer, "etc/ssl/openssl.cnf"));
    mkdirSync(join(layer, "swarm-pieces"), { recursive: true });
    cpSync(join(layer, "etc/ssl"), join(layer, "swarm-pieces/ssl"), { recursive: true });
    cpSync(join(oe, "sites"), join(layer, "swarm-pieces/sites"), { recursive: true });
    mkdirSync(join(layer, "root"), { recursive: true });
    writeFileSync(join(layer, "root/docker-version"), "9");
    mkdirSync(join(layer, "usr/share/drill"), { recursive: true });
    cpSync(join(pkiDir, "selfsigned.key.pem"), join(layer, "usr/share/drill/selfsigned.key.pem"));
    cpSync(join(pkiDir, "selfsigned.cert.pem"), join(layer, "usr/share/drill/selfsigned.cert.pem"));
    mkdirSync(join(layer, "usr/bin"), { recursive: true });
    for (const client of ["mariadb", "mysql"]) symlinkSync(join(drillDir, "image/mariadb.mjs"), join(layer, "usr/bin", client));
    writeFileSync(join(layer, "etc/drill-image.json"), JSON.stringify({ tag: image.tag, health: image.health, timescale, tableMs }));
    return {
        Id: `sha256:${Buffer.from(image.tag).toString("hex").padEnd(64, "0")}`,
        Layer: `/.drill/world/images/${image.tag}`,
        Env: ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "APACHE_LOG_DIR=/var/log/apache2"],
        Entrypoint: null,
        Cmd: ["./openemr.sh"],
        WorkingDir: "/var/www/localhost/htdocs/openemr",
        Volumes: ["/etc/letsencrypt/", "/etc/ssl"],
    };
}
