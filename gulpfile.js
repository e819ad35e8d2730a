const path = require('path');
const { task, src, dest } = require('gulp');

// Icons live in icons/ (shared by nodes and credentials) and are referenced as
// `file:../../icons/x.svg` from dist/nodes/<Node>/ and dist/credentials/, so they are copied as is.
function copyIcons() {
	return src(['icons/**/*.{png,svg}'], { encoding: false }).pipe(dest(path.resolve('dist', 'icons')));
}

task('build:icons', copyIcons);
