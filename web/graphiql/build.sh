#!/bin/sh
# Copies the GraphiQL, React and ReactDOM browser bundles installed by `npm ci` into the folder the
# Crossdock binary embeds (adapters/httpapi/graphiql/dist), so GraphiQL is served by the hub itself and
# never loaded from a CDN. Exactly these four files are copied: the Go server serves only these names.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
modules="$here/node_modules"
dest="$here/../../adapters/httpapi/graphiql/dist"

if [ ! -d "$modules/graphiql" ] || [ ! -d "$modules/react" ] || [ ! -d "$modules/react-dom" ]; then
	echo "build.sh: $modules lacks graphiql, react or react-dom; run 'npm ci' in $here first" >&2
	exit 1
fi

mkdir -p "$dest"
cp "$modules/react/umd/react.production.min.js" \
	"$modules/react-dom/umd/react-dom.production.min.js" \
	"$modules/graphiql/graphiql.min.js" \
	"$modules/graphiql/graphiql.min.css" \
	"$dest/"
echo "build.sh: copied GraphiQL $(node -p "require('$modules/graphiql/package.json').version") and React $(node -p "require('$modules/react/package.json').version") into $dest"
