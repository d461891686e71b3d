import type { Plugin } from 'graphql-yoga';
import type { GraphQLParams } from 'graphql-yoga';

/** What the HTTP layer hands over when it has already parsed a multipart request with graphql-upload-ts. */
export interface UploadServerContext {
  uploadParams?: GraphQLParams | GraphQLParams[];
}

/**
 * Multipart requests (GraphQL multipart request spec) are parsed before yoga by graphql-upload-ts, which streams
 * files with size and count limits; this plugin makes yoga use that result instead of parsing the body itself.
 */
export function useMultipartUploads(): Plugin<Record<string, unknown>, UploadServerContext> {
  return {
    onRequestParse({ serverContext, setRequestParser }) {
      const params = serverContext?.uploadParams;
      if (params) setRequestParser(() => params);
    },
  };
}
