-- helper: a module that fills package.loaded itself
package.loaded[...] = { custom = true }
