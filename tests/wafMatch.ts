/**
 * What a WAF string-match condition sees of a request path, after the transformations the rule
 * names, applied in order: written from the two clouds' documentation, to judge a declared rule
 * against request paths a client could send.
 * - AWS WAF text transformations: URL_DECODE "decodes a URL-encoded value", LOWERCASE "converts
 *   uppercase letters (A-Z) to lowercase (a-z)"; positional constraint CONTAINS "the specified part
 *   of the web request must include the value of SearchString"
 *   (docs.aws.amazon.com/waf/latest/APIReference/API_TextTransformation.html, API_ByteMatchStatement.html).
 * - Application Gateway WAF custom rules: transforms "UrlDecode", "Lowercase"; operator "Contains"
 *   (learn.microsoft.com/azure/web-application-firewall/ag/custom-waf-rules-overview).
 */
const transforms: Record<string, (s: string) => string> = {
    URL_DECODE: decodeURIComponent,
    UrlDecode: decodeURIComponent,
    LOWERCASE: (s) => s.toLowerCase(),
    Lowercase: (s) => s.toLowerCase(),
};

export function transformed(path: string, names: string[]): string {
    return names.reduce((value, name) => {
        const apply = transforms[name];
        if (!apply) throw new Error(`no stand-in for the WAF transformation ${name}`);
        return apply(value);
    }, path);
}
