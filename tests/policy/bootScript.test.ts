import { describe, expect, it } from "vitest";
import { bootMountPointRule } from "../../src/policy/deploy/bootScript";
import { executionOrder } from "../../src/policy/deploy/shell";
import { base64, graphOf, judge, reasons, resource } from "./fixtures";

/** A cloud-config shaped like src/app/cloudInit.ts renders it: a boot script in write_files, run by runcmd. */
function cloudConfig(script: string, extraFiles = ""): string {
    const indented = script.split("\n").map((l) => (l ? `      ${l}` : l)).join("\n");
    return `#cloud-config\nwrite_files:\n${extraFiles}  - path: /usr/local/sbin/boot.sh\n    permissions: '0700'\n    content: |\n${indented}\nruncmd:\n  - ["/usr/local/sbin/boot.sh"]\n`;
}
const launchTemplate = (userData: string) => resource("aws:ec2/launchTemplate:LaunchTemplate", "lt", { userData: base64(userData) });
const scaleSet = (customData: string) =>
    resource("azure-native:compute:VirtualMachineScaleSet", "vmss", { virtualMachineProfile: { osProfile: { customData: base64(customData) } } });

const mountFirst = `#!/bin/bash
set -euo pipefail
readonly SHARED_DIR='/mnt/emr-shared'
mount_shared_fs() {
    printf '%s %s efs _netdev,tls 0 0\\n' 'fs-1:/' "$SHARED_DIR" >> /etc/fstab
    mount "$SHARED_DIR"
}
mount_shared_fs
mkdir -p "$SHARED_DIR/sites"
`;

describe("DEPLOY-ANY-BOOT-MOUNT-POINT-EXISTS", () => {
    it("fails a boot script that mounts before creating the mount point, on either cloud", () => {
        for (const machine of [launchTemplate(cloudConfig(mountFirst)), scaleSet(cloudConfig(mountFirst))]) {
            const text = reasons(judge(bootMountPointRule, graphOf(machine)));
            expect(text).toContain('/usr/local/sbin/boot.sh line 6 runs "mount $SHARED_DIR" onto /mnt/emr-shared');
            expect(text).toMatch(/^(userData|virtualMachineProfile\.osProfile\.customData) \(base64 cloud-init\)/);
        }
    });

    it.each([
        ["inside the function, before the mount", mountFirst.replace('    mount "$SHARED_DIR"', '    mkdir -p "$SHARED_DIR"\n    mount "$SHARED_DIR"')],
        ["before the function is called", mountFirst.replace("mount_shared_fs\nmkdir", 'install -d -m 0755 "$SHARED_DIR"\nmount_shared_fs\nmkdir')],
        ["as the parent of a deeper mkdir -p", mountFirst.replace("mount_shared_fs\nmkdir", 'mkdir -p "${SHARED_DIR}/sites" && mount_shared_fs\nmkdir')],
    ])("passes when the mount point is created %s", (_, script) => {
        expect(judge(bootMountPointRule, graphOf(launchTemplate(cloudConfig(script)))).status).toBe("pass");
    });

    it("follows a mount run through a retry wrapper, by function name or as a command", () => {
        const wrapper = 'retry_until() {\n    local deadline=$1\n    shift\n    until "$@"; do sleep 5; done\n}\n';
        const viaFunction = mountFirst.replace("mount_shared_fs\nmkdir", `${wrapper}retry_until 600 mount_shared_fs\nmkdir`);
        expect(reasons(judge(bootMountPointRule, graphOf(launchTemplate(cloudConfig(viaFunction)))))).toContain('runs "mount $SHARED_DIR" onto /mnt/emr-shared');
        const viaCommand = `#!/bin/bash\n${wrapper}retry_until 600 mount -t nfs host:/x /data\n`;
        expect(reasons(judge(bootMountPointRule, graphOf(launchTemplate(viaCommand))))).toContain("onto /data");
        const created = `#!/bin/bash\n${wrapper}mkdir -p /data\nretry_until 600 mount -t nfs host:/x /data\n`;
        expect(judge(bootMountPointRule, graphOf(launchTemplate(created))).status).toBe("pass");
    });

    it("does not read another program's install subcommand as install -d", () => {
        const script = "#!/bin/bash\nDEBIAN_FRONTEND=noninteractive apt-get install -d /data\nmount -t nfs host:/x /data\n";
        expect(judge(bootMountPointRule, graphOf(launchTemplate(script))).status).toBe("fail");
        const sudo = "#!/bin/bash\nsudo mkdir -p /data\nsudo timeout 60 mount -t nfs host:/x /data\n";
        expect(judge(bootMountPointRule, graphOf(launchTemplate(sudo))).status).toBe("pass");
    });

    it("counts write_files' parent directories, which cloud-init creates before runcmd", () => {
        const marker = "  - path: /mnt/emr-shared/.keep\n    content: ''\n";
        expect(judge(bootMountPointRule, graphOf(launchTemplate(cloudConfig(mountFirst, marker)))).status).toBe("pass");
    });

    it("reads plain shell user data: a mount onto a directory made first passes, onto one never made fails", () => {
        const script = "#!/bin/bash\nmkdir /srv/data\nmount -t nfs host:/x /srv/data\n";
        expect(judge(bootMountPointRule, graphOf(launchTemplate(script))).status).toBe("pass");
        expect(judge(bootMountPointRule, graphOf(launchTemplate("#!/bin/bash\nmount -t nfs -o vers=4 host:/x /data\n"))).status).toBe("fail");
    });
});

describe("shell execution order", () => {
    it("lists a function call, then its body, where it happens, expanding assignments made before", () => {
        const commands = executionOrder(mountFirst).map((c) => c.words.join(" "));
        expect(commands).toEqual([
            "set -euo pipefail",
            "mount_shared_fs",
            "printf %s %s efs _netdev,tls 0 0\\n fs-1:/ /mnt/emr-shared >> /etc/fstab",
            "mount /mnt/emr-shared",
            "mkdir -p /mnt/emr-shared/sites",
        ]);
    });

    it("expands variables in double quotes, never in single quotes", () => {
        const commands = executionOrder("DIR=/mnt/x\nmkdir -p \"$DIR\" '$DIR' ${DIR}/y").map((c) => c.words);
        expect(commands).toEqual([["mkdir", "-p", "/mnt/x", "$DIR", "/mnt/x/y"]]);
    });

    it("splits on control operators, keeps redirections, drops keywords and comments", () => {
        const commands = executionOrder('if ! flock -w 60 9; then echo "no lock" >&2; exit 1; fi # done\na && b || c 2>&1').map((c) => c.words.join(" "));
        expect(commands).toEqual(["flock -w 60 9", "echo no lock >&2", "exit 1", "a", "b", "c 2>&1"]);
    });
});
