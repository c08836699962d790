import { createCipheriv, createHash, createHmac } from "node:crypto";

/**
 * A minimal PKCS#12 (PFX, RFC 7292) writer: one private key and its certificate, protected by a
 * password. Application Gateway takes a listener certificate only as PFX (inline `data` +
 * `password`, or a Key Vault secret holding one), @pulumi/tls emits PEM only, and Node's crypto
 * reads but cannot write PKCS#12.
 *
 * The layout is OpenSSL's with `-keypbe PBE-SHA1-3DES -certpbe PBE-SHA1-3DES -macalg sha1`:
 * key and certificate each encrypted with pbeWithSHAAnd3-KeyTripleDES-CBC, a SHA-1 HMAC over the
 * whole. That is the format every PFX importer accepts (Windows, .NET, Azure); the AES/PBES2 one
 * of OpenSSL 3 is still refused by some of them.
 *
 * The output is deterministic (salts derive from the inputs): the same key, certificate and
 * password give the same bytes on every `pulumi up`, so the gateway shows no perpetual diff.
 */

const oids = {
    data: "1.2.840.113549.1.7.1",
    encryptedData: "1.2.840.113549.1.7.6",
    rsaEncryption: "1.2.840.113549.1.1.1",
    pbeSha1TripleDes: "1.2.840.113549.1.12.1.3",
    shroudedKeyBag: "1.2.840.113549.1.12.10.1.2",
    certBag: "1.2.840.113549.1.12.10.1.3",
    x509Certificate: "1.2.840.113549.1.9.22.1",
    localKeyId: "1.2.840.113549.1.9.21",
    sha1: "1.3.14.3.2.26",
} as const;

const iterations = 2048;

// DER encoding, only the forms PKCS#12 needs.
function tlv(tag: number, content: Buffer): Buffer {
    const n = content.length;
    const length = n < 0x80 ? Buffer.from([n]) : lengthBytes(n);
    return Buffer.concat([Buffer.from([tag]), length, content]);
}
function lengthBytes(n: number): Buffer {
    const bytes: number[] = [];
    for (let rest = n; rest > 0; rest = Math.floor(rest / 256)) bytes.unshift(rest % 256);
    return Buffer.from([0x80 | bytes.length, ...bytes]);
}
const seq = (...items: Buffer[]) => tlv(0x30, Buffer.concat(items));
const set = (...items: Buffer[]) => tlv(0x31, Buffer.concat(items));
const octets = (value: Buffer) => tlv(0x04, value);
const explicit0 = (value: Buffer) => tlv(0xa0, value);
const nullValue = Buffer.from([0x05, 0x00]);
function integer(value: number): Buffer {
    const bytes = lengthBytes(value).subarray(1);
    // A leading 1 bit would make the integer negative.
    return tlv(0x02, bytes.length === 0 || bytes[0] & 0x80 ? Buffer.concat([Buffer.from([0]), bytes]) : bytes);
}
function oid(dotted: string): Buffer {
    const [first, second, ...rest] = dotted.split(".").map(Number);
    const body = [40 * first + second];
    for (const arc of rest) {
        const chunk = [arc & 0x7f];
        for (let v = arc >>> 7; v > 0; v >>>= 7) chunk.unshift((v & 0x7f) | 0x80);
        body.push(...chunk);
    }
    return tlv(0x06, Buffer.from(body));
}

/** The PKCS#12 key derivation (RFC 7292 appendix B.2) with SHA-1: id 1 = key, 2 = IV, 3 = MAC key. */
function deriveKey(password: Buffer, salt: Buffer, id: 1 | 2 | 3, size: number): Buffer {
    const v = 64;
    const fill = (source: Buffer) => {
        const out = Buffer.alloc(v * Math.ceil(source.length / v));
        for (let i = 0; i < out.length; i++) out[i] = source[i % source.length];
        return out;
    };
    const input = Buffer.concat([fill(salt), fill(password)]);
    const blocks: Buffer[] = [];
    for (let produced = 0; produced < size; produced += 20) {
        let a = createHash("sha1").update(Buffer.alloc(v, id)).update(input).digest();
        for (let r = 1; r < iterations; r++) a = createHash("sha1").update(a).digest();
        blocks.push(a);
        // I_j = (I_j + B + 1) mod 2^(8v) for every v-byte block of the input.
        const b = fill(a).subarray(0, v);
        for (let j = 0; j < input.length; j += v) {
            let carry = 1;
            for (let k = v - 1; k >= 0; k--) {
                const sum = input[j + k] + b[k] + carry;
                input[j + k] = sum & 0xff;
                carry = sum >> 8;
            }
        }
    }
    return Buffer.concat(blocks).subarray(0, size);
}

/** pbeWithSHAAnd3-KeyTripleDES-CBC: returns the AlgorithmIdentifier and the ciphertext. */
function encrypt(plain: Buffer, password: Buffer, salt: Buffer): { algorithm: Buffer; cipherText: Buffer } {
    const cipher = createCipheriv("des-ede3-cbc", deriveKey(password, salt, 1, 24), deriveKey(password, salt, 2, 8));
    return {
        algorithm: seq(oid(oids.pbeSha1TripleDes), seq(octets(salt), integer(iterations))),
        cipherText: Buffer.concat([cipher.update(plain), cipher.final()]),
    };
}

/** The DER body of the first PEM block labelled `label`. */
export function pemBody(pem: string, label: string): Buffer {
    const match = new RegExp(`-----BEGIN ${label}-----([^-]+)-----END ${label}-----`).exec(pem);
    if (!match) throw new Error(`pkcs12: no PEM block labelled "${label}"`);
    return Buffer.from(match[1].replace(/\s+/g, ""), "base64");
}

/** PKCS#8 PrivateKeyInfo from a PEM key: PKCS#8 as is, or PKCS#1 RSA (what @pulumi/tls emits) wrapped. */
function privateKeyInfo(keyPem: string): Buffer {
    if (keyPem.includes("-----BEGIN PRIVATE KEY-----")) return pemBody(keyPem, "PRIVATE KEY");
    const pkcs1 = pemBody(keyPem, "RSA PRIVATE KEY");
    return seq(integer(0), seq(oid(oids.rsaEncryption), nullValue), octets(pkcs1));
}

/** Base64 PFX holding `keyPem` and `certPem`, protected by `password`. */
export function pkcs12(keyPem: string, certPem: string, password: string): string {
    const cert = pemBody(certPem, "CERTIFICATE");
    // Password as a NUL-terminated big-endian BMPString (RFC 7292 B.1).
    const secret = Buffer.from(`${password}\0`, "utf16le").swap16();
    const salt = (purpose: string) => createHash("sha256").update(purpose).update(cert).update(secret).digest().subarray(0, 8);
    // localKeyId pairs the key with its certificate for importers.
    const attributes = set(seq(oid(oids.localKeyId), set(octets(createHash("sha1").update(cert).digest()))));

    const key = encrypt(privateKeyInfo(keyPem), secret, salt("key"));
    const keyBag = seq(oid(oids.shroudedKeyBag), explicit0(seq(key.algorithm, octets(key.cipherText))), attributes);
    const certBag = seq(oid(oids.certBag), explicit0(seq(oid(oids.x509Certificate), explicit0(octets(cert)))), attributes);
    const certs = encrypt(seq(certBag), secret, salt("cert"));

    const authenticatedSafe = seq(
        seq(
            oid(oids.encryptedData),
            explicit0(seq(integer(0), seq(oid(oids.data), certs.algorithm, tlv(0x80, certs.cipherText)))),
        ),
        seq(oid(oids.data), explicit0(octets(seq(keyBag)))),
    );
    const macSalt = salt("mac");
    const mac = createHmac("sha1", deriveKey(secret, macSalt, 3, 20)).update(authenticatedSafe).digest();
    const pfx = seq(
        integer(3),
        seq(oid(oids.data), explicit0(octets(authenticatedSafe))),
        seq(seq(seq(oid(oids.sha1), nullValue), octets(mac)), octets(macSalt), integer(iterations)),
    );
    return pfx.toString("base64");
}
