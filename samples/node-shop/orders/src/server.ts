import { createApp } from './app.ts';
import { config } from './config.ts';

createApp().listen(config.port, () => console.log(`orders listening on ${config.port}`));
