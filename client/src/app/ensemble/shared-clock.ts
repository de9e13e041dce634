// The browser runs the server's clock algorithm itself: the engine file imports nothing and touches no Node or DOM API.
export * from '../../../../server/src/ensemble/engine/shared-clock';
