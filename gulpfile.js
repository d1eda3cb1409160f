// Copies what tsc does not emit (icons, codex JSON) into dist/ at the same relative paths,
// so `file:` icon references and codex files resolve in the published package.
const { src, dest } = require('gulp');

function buildAssets() {
	return src(['nodes/**/*.{png,svg,json}', 'credentials/**/*.{png,svg}', 'icons/**/*.{png,svg}'], {
		base: '.',
		encoding: false,
	}).pipe(dest('dist'));
}

exports['build:assets'] = buildAssets;
