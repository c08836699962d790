/** A failure the docker CLI reports as `<prefix><message>` (by default "docker: Error response from daemon: ...") with exit `code`. */
export class DockerError extends Error {
    constructor(message, code = 125, prefix = "docker: Error response from daemon: ") {
        super(message);
        Object.assign(this, { code, prefix });
    }
}
