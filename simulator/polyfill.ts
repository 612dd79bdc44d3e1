// aws-local-stepfunctions 3 calls Promise.withResolvers (Node 22+); core-js adds it on Node 20
// and leaves a native one alone.
import 'core-js/actual/promise/with-resolvers';
