// Types for build-stamp.mjs (plain JavaScript: `npm start` runs it without a TypeScript loader).
export function sourceFingerprint(): string;
export function buildIsCurrent(): boolean;
export function writeBuildStamp(fingerprint: string): void;
