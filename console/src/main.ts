import { createApp } from "vue";
import "tdesign-vue-next/es/style/index.css";
import "./styles.css";
import App from "./App.vue";
import { router } from "./router/index.js";

createApp(App).use(router).mount("#app");
