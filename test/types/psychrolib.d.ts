// psychrolib ships no type declarations; the test declares the few functions it calls.
declare module 'psychrolib' {
  const psychrolib: unknown;
  export default psychrolib;
}
