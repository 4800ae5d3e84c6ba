import { getAbsoluteFSPath } from 'swagger-ui-dist';

/** Swagger UI, served from the npm package so the docs work offline. */
export const SWAGGER_UI_ASSETS_DIR = getAbsoluteFSPath();

export const DOCS_PAGE_HTML = `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>Rackrate API</title>
  <link rel="stylesheet" href="/v1/docs/assets/swagger-ui.css">
</head>
<body>
  <div id="docs"></div>
  <script src="/v1/docs/assets/swagger-ui-bundle.js"></script>
  <script>
    window.ui = SwaggerUIBundle({ url: '/v1/openapi.json', dom_id: '#docs', deepLinking: true, persistAuthorization: true });
  </script>
</body>
</html>
`;
