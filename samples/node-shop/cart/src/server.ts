import { createApp } from './app.ts';

const { PORT = '3002' } = process.env;
const app = createApp();
app.listen({ port: Number(PORT), host: '127.0.0.1' }).then(
  () => console.log(`cart listening on ${PORT}`),
  (error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  },
);
