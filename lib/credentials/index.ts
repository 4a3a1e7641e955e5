export { createCredential, listCredentials, updateCredential, deleteCredential, CredentialInputError, type CredentialSummary } from "./manage-credentials";
export { resolveCredential, secretStringsOf, CredentialResolveError } from "./resolve-credential";
export { credentialTypes, CREDENTIAL_TYPES, isCredentialType, type CredentialType, type CredentialData } from "./credential-types";
