// Mounts GraphiQL on #graphiql against the GraphQL endpoint this page was served from. It runs after
// the React, ReactDOM and GraphiQL bundles, which define the globals it uses.
(function () {
  'use strict';

  // The page is GET /graphql and queries are POST /graphql: the same path, so the hub also works
  // behind a proxy that mounts it under a prefix.
  var endpoint = window.location.pathname;

  var defaultQuery = [
    '# Crossdock: what happened to a business document, across all systems, in order.',
    '# Put a PO, ASN, tracking or invoice number as reference, or use correlationId or streamId;',
    '# for the next page, pass pageInfo.endCursor as after.',
    'query Timeline {',
    '  timeline(reference: "P00042", first: 20) {',
    '    edges {',
    '      node {',
    '        occurredAt',
    '        type',
    '        streamId',
    '        source',
    '        partnerId',
    '        references { kind value }',
    '        data',
    '      }',
    '    }',
    '    pageInfo { endCursor hasNextPage }',
    '  }',
    '}',
    ''
  ].join('\n');

  var fetcher = GraphiQL.createFetcher({ url: endpoint });
  var root = ReactDOM.createRoot(document.getElementById('graphiql'));
  root.render(React.createElement(GraphiQL, {
    fetcher: fetcher,
    defaultQuery: defaultQuery
  }));
})();
