import { createApp } from './app.ts';

const { PORT = '3001' } = process.env;
createApp().listen(Number(PORT), () => console.log(`catalog listening on ${PORT}`));
