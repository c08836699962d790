// The VPC's / VNet's DNS resolver as the servers and their containers ask it (UDP, RFC 1035
// section 4.1): a query's header (id, flags, QDCOUNT 1) and its question (QNAME as length-prefixed
// labels ending in 0, QTYPE, QCLASS) come back with QR and RA set and, for a name the world
// defines (cloud.json `names`: the session store's private name -> its address), one A record
// (a pointer to the question's name, 0xc00c; TYPE 1, CLASS 1, TTL, RDLENGTH 4, the address). A
// known name asked for another type (AAAA: getaddrinfo asks both) answers NOERROR with no record;
// any other name NXDOMAIN (RCODE 3), as a private resolver answers a name it does not have.
import { createSocket } from "node:dgram";

function questionOf(query) {
    const labels = [];
    let at = 12;
    while (at < query.length && query[at] !== 0) {
        labels.push(query.subarray(at + 1, at + 1 + query[at]).toString("ascii"));
        at += 1 + query[at];
    }
    const end = at + 5; // the 0 label, QTYPE, QCLASS
    return { name: labels.join(".").toLowerCase(), type: query.readUInt16BE(at + 1), end };
}

export function answer(query, names) {
    const { name, type, end } = questionOf(query);
    const address = names[name];
    const header = Buffer.alloc(12);
    query.copy(header, 0, 0, 2);
    header.writeUInt16BE(0x8180 | (query.readUInt16BE(2) & 0x0100) | (address ? 0 : 3), 2); // QR, RA, RD echoed; NXDOMAIN when unknown
    header.writeUInt16BE(1, 4);
    const records = address && type === 1 ? [Buffer.from([0xc0, 0x0c, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4, ...address.split(".").map(Number)])] : [];
    header.writeUInt16BE(records.length, 6);
    return Buffer.concat([header, query.subarray(12, end), ...records]);
}

/** Serves `names` (lower-case name -> IPv4 address) on udp://<address>:53. */
export function serveDns(address, names) {
    const socket = createSocket("udp4");
    socket.on("message", (query, from) => {
        if (query.length < 17) return;
        socket.send(answer(query, names), from.port, from.address);
    });
    return new Promise((ready) => socket.bind(53, address, ready));
}
