export type { SameShapeOptions, Shape } from './shape-of'
export { expectSameShape, shapeDifferences, shapeOf } from './shape-of'
