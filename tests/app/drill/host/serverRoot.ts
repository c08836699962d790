import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";

/**
 * The first-boot state of one server's root file system, laid in its overlay upper dir before it
 * boots: the distro's identity (/etc/os-release: Amazon Linux 2023 or Ubuntu 24.04), what the
 * distro does not have until a package brings it (overlay whiteouts: a 0/0 character device in
 * the upper dir hides the lower file, https://docs.kernel.org/filesystems/overlayfs.html), the
 * stand-ins that replace this machine's own programs (systemctl, dpkg/apt-get, the AWS CLI), the
 * trust store with the world's public root, /etc/hosts naming the cloud's services, and the user
 * data as cloud-init stores it.
 */
export type Distro = "amzn" | "ubuntu";

const osRelease: Record<Distro, string> = {
    amzn: 'NAME="Amazon Linux"\nVERSION="2023"\nID="amzn"\nVERSION_ID="2023"\n',
    ubuntu: 'NAME="Ubuntu"\nVERSION="24.04 LTS (Noble Numbat)"\nID=ubuntu\nVERSION_ID="24.04"\n',
};

/** Programs this machine has that the fresh server must not have before their package is installed. */
const hidden: Record<Distro, string[]> = {
    amzn: ["/usr/bin/jq", "/usr/sbin/iptables", "/usr/sbin/iptables-save", "/usr/sbin/iptables-restore", "/usr/sbin/xtables-nft-multi", "/usr/bin/dpkg", "/usr/bin/apt-get", "/usr/bin/mysql", "/usr/bin/mariadb"],
    ubuntu: ["/usr/bin/jq", "/usr/bin/mysql", "/usr/bin/mariadb", "/usr/bin/aws"],
};

export function layServerRoot(upper: string, drillDir: string, distro: Distro, userData: string, hosts: string, trustedPems: string) {
    const put = (path: string, content: string, mode = 0o644) => {
        mkdirSync(dirname(join(upper, path)), { recursive: true });
        writeFileSync(join(upper, path), content, { mode });
    };
    const link = (target: string, path: string) => {
        mkdirSync(dirname(join(upper, path)), { recursive: true });
        symlinkSync(target, join(upper, path));
    };
    // A cloud image's /usr/local is empty; this machine's (a docker CLI, terraform...) must not leak in.
    const local = ["/usr/local/bin", "/usr/local/sbin"].flatMap((dir) => (existsSync(dir) ? readdirSync(dir).map((entry) => `${dir}/${entry}`) : []));
    for (const path of [...hidden[distro], ...local]) {
        mkdirSync(dirname(join(upper, path)), { recursive: true });
        execFileSync("mknod", [join(upper, path), "c", "0", "0"]);
    }
    put("/etc/os-release", osRelease[distro]);
    put("/etc/fstab", "# /etc/fstab of a fresh cloud image\nLABEL=root / ext4 defaults 0 1\n");
    put("/etc/hosts", `127.0.0.1 localhost\n${hosts}`);
    put("/etc/ssl/certs/ca-certificates.crt", `${readFileSync("/etc/ssl/certs/ca-certificates.crt", "utf8")}${trustedPems}`);
    put("/var/lib/cloud/instance/user-data.txt", userData, 0o600);
    link(join(drillDir, "server"), "/.drill/bin");
    link(join(drillDir, "server/systemctl.mjs"), "/usr/bin/systemctl");
    if (distro === "amzn") link(join(drillDir, "server/aws.mjs"), "/usr/bin/aws");
    else {
        link(join(drillDir, "server/apt.mjs"), "/usr/bin/dpkg");
        link(join(drillDir, "server/apt.mjs"), "/usr/bin/apt-get");
    }
}
