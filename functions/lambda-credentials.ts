// In Lambda the function role's credentials are always in the environment, so Lambda bundles resolve the SDK's
// default credential chain to this one provider instead of carrying SSO, profile, IMDS and web-identity code.
export { fromEnv as defaultProvider } from '@aws-sdk/credential-provider-env';
