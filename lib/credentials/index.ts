export { createCredential, listCredentials, updateCredential, deleteCredential, CredentialInputError, type CredentialSummary } from "./manage-credentials";
export { resolveCredential, secretStringsOf, CredentialResolveError } from "./resolve-credential";
export { credentialDataSchemas, credentialTypeLabels, CREDENTIAL_TYPES, isCredentialType, type CredentialType, type CredentialData } from "./credential-types";
