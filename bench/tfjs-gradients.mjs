// tfjs-core's Node bundle (dist/tf-core.node.js) leaves the gradients out: the @tensorflow/tfjs union package
// registers them, and it is not installed here. They ship as ES modules with extensionless imports
// (dist/register_all_gradients.js and dist/gradients/), which Node cannot load as they are, so these module
// hooks append '.js' to relative imports inside tfjs-core's dist and load those files as ES modules.
// Registration goes into tfjs's global registry, which every copy of tfjs-core shares.
const DIST = '/node_modules/@tensorflow/tfjs-core/dist/';
const inDist = (url) => url?.includes(DIST) && !url.endsWith('/tf-core.node.js');

export async function resolve(specifier, context, next) {
  if (inDist(context.parentURL) && specifier.startsWith('.') && !specifier.endsWith('.js')) {
    try {
      return await next(`${specifier}.js`, context);
    } catch {
      return next(`${specifier}/index.js`, context);
    }
  }
  return next(specifier, context);
}

export async function load(url, context, next) {
  return next(url, inDist(url) ? { ...context, format: 'module' } : context);
}
