export {
  LocalAuthorizationServer,
  type AuthorizeResult,
  type LocalAuthorizationServerOptions,
  type TokenAnswer,
  type TokenRequestCounts,
} from './local-authorization-server.ts';
export { answerOAuthRequest, bearerToken, type OAuthHttpRequest, type OAuthRoutes } from './oauth-http.ts';
