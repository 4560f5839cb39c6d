import { readdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import type { CustomRoute } from '@slack/bolt';
import type { Logger } from '../../logger.ts';
import { PageRequestError, pageRoute, pathParam, sendAsset } from './page-http.ts';

// The page is plain files served as they are: one HTML file, ES modules and a style sheet, no build step.

const ASSETS_DIR = new URL('./assets/', import.meta.url);
const CONTENT_TYPES: Record<string, string> = {
  html: 'text/html; charset=utf-8',
  js: 'text/javascript; charset=utf-8',
  css: 'text/css; charset=utf-8',
  svg: 'image/svg+xml',
};

function contentTypeOf(name: string): string | undefined {
  const extension = /\.([a-z]+)$/.exec(name)?.[1];
  return extension === undefined ? undefined : CONTENT_TYPES[extension];
}

/** GET / (the page) and GET /assets/:name for the files in assets/, and nothing else from disk. */
export function pageAssetRoutes(logger: Logger): CustomRoute[] {
  const names = new Set(readdirSync(ASSETS_DIR).filter((name) => contentTypeOf(name) !== undefined));
  const serve = (name: string, response: ServerResponse) => {
    const contentType = contentTypeOf(name);
    if (!names.has(name) || contentType === undefined) throw new PageRequestError(404, `No asset ${name}`);
    void readFile(new URL(name, ASSETS_DIR)).then(
      (bytes) => {
        sendAsset(response, bytes, contentType);
      },
      (error: unknown) => {
        logger.error({ err: error }, `Local workspace page: could not read ${name}`);
        response.writeHead(500).end();
      },
    );
  };
  return [
    pageRoute(
      '/',
      'GET',
      (_request, response) => {
        serve('index.html', response);
      },
      logger,
    ),
    pageRoute(
      '/assets/:name',
      'GET',
      (request, response) => {
        serve(pathParam(request, 'name'), response);
      },
      logger,
    ),
  ];
}
